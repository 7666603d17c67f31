import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { PROCESS_ERROR_MESSAGE, installProcessHandlers } from '../src/exceptions/process-handlers.js';
import type { ProcessLike } from '../src/exceptions/process-handlers.js';
import { unhandledRejectionsMode } from '../src/exceptions/rejection-mode.js';
import { createExceptionTracker } from '../src/exceptions/tracker.js';
import { fixture, onlyFatal, runNode } from './exceptions-fixtures.js';

/** A stand-in for `process`: an emitter that records warnings and the exit code. */
class FakeProcess extends EventEmitter implements ProcessLike {
  exitCode: number | undefined;
  warnings: string[] = [];
  emitWarning(warning: string, type?: string): void {
    this.warnings.push(`${type}: ${warning}`);
  }
}

/** A logger that records its calls. */
function recordingLogger() {
  const lines: { level: string; obj: Record<string, any>; msg: string }[] = [];
  const at = (level: string) => (obj: Record<string, any>, msg: string) => void lines.push({ level, obj, msg });
  return { lines, logger: { fatal: at('fatal'), error: at('error') } as never };
}

function setup(options: { uncaught?: boolean; unhandled?: boolean; mode?: 'throw' | 'warn' | 'none' | 'warn-with-error-code' | 'strict' } = {}) {
  const proc = new FakeProcess();
  const { lines, logger } = recordingLogger();
  let flushes = 0;
  const uninstall = installProcessHandlers({
    logger,
    tracker: createExceptionTracker(new Registry()),
    flushSync: () => void flushes++,
    uncaught: options.uncaught ?? true,
    unhandled: options.unhandled ?? true,
    rejectionMode: options.mode ?? 'throw',
    process: proc,
  });
  return { proc, lines, uninstall, flushes: () => flushes };
}

describe('unhandled-rejections mode', () => {
  it('reads --unhandled-rejections from the command line over NODE_OPTIONS, throw by default', () => {
    expect(unhandledRejectionsMode([], '')).toBe('throw');
    expect(unhandledRejectionsMode([], '--max-old-space-size=100 --unhandled-rejections=warn')).toBe('warn');
    expect(unhandledRejectionsMode(['--unhandled-rejections', 'strict'], '--unhandled-rejections=warn')).toBe('strict');
    expect(unhandledRejectionsMode(['--unhandled-rejections=bogus'], undefined)).toBe('throw');
  });
});

describe('process handlers', () => {
  it('logs an uncaught exception as fatal with its fingerprint, then flushes, when nothing else handles it', () => {
    const { proc, lines, flushes } = setup();
    const err = new TypeError('order 9 not found');
    proc.emit('uncaughtExceptionMonitor', err, 'uncaughtException');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'fatal', msg: PROCESS_ERROR_MESSAGE.fatal, obj: { origin: 'uncaughtException' } });
    expect(lines[0]!.obj.err).toMatchObject({ type: 'TypeError', message: 'order 9 not found', stack: err.stack, first_seen: true });
    expect(lines[0]!.obj.err.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(flushes()).toBe(1);
  });

  it("logs it as error when the app's own uncaughtException listener keeps the process running", () => {
    const { proc, lines } = setup();
    proc.on('uncaughtException', () => {});
    proc.emit('uncaughtExceptionMonitor', new Error('x'), 'uncaughtException');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['error', PROCESS_ERROR_MESSAGE.handled]]);
  });

  it('adds no unhandledRejection listener in the throw and strict modes, which would keep the process alive', () => {
    for (const mode of ['throw', 'strict'] as const) {
      const { proc, lines } = setup({ mode });
      expect(proc.listenerCount('unhandledRejection')).toBe(0);
      // Node raises the rejection as an uncaught exception: the monitor sees it.
      proc.emit('uncaughtExceptionMonitor', new Error('rejected'), 'unhandledRejection');
      expect(lines.map((l) => [l.level, l.obj.origin])).toEqual([['fatal', 'unhandledRejection']]);
    }
  });

  it('logs a rejection the process survives as error and leaves warnings to Node in the warn mode', () => {
    const { proc, lines } = setup({ mode: 'warn' });
    proc.emit('unhandledRejection', new RangeError('quota'), Promise.resolve());
    expect(lines.map((l) => [l.level, l.msg, l.obj.origin, l.obj.err.type])).toEqual([['error', PROCESS_ERROR_MESSAGE.rejection, 'unhandledRejection', 'RangeError']]);
    expect(proc.warnings).toEqual([]);
    expect(proc.exitCode).toBeUndefined();
  });

  it('warns and sets exit code 1 as Node would in warn-with-error-code mode, unless the app listens too', () => {
    const alone = setup({ mode: 'warn-with-error-code' });
    alone.proc.emit('unhandledRejection', new Error('lost'), Promise.resolve());
    expect(alone.proc.exitCode).toBe(1);
    expect(alone.proc.warnings[0]).toMatch(/^UnhandledPromiseRejectionWarning: Unhandled promise rejection: Error: lost/);

    const withApp = setup({ mode: 'warn-with-error-code' });
    withApp.proc.on('unhandledRejection', () => {});
    withApp.proc.emit('unhandledRejection', new Error('handled by the app'), Promise.resolve());
    expect(withApp.proc.exitCode).toBeUndefined();
    expect(withApp.lines).toHaveLength(1);
  });

  it('can be turned off one by one, and uninstalled', () => {
    const off = setup({ uncaught: false, unhandled: false, mode: 'warn' });
    expect(off.proc.listenerCount('uncaughtExceptionMonitor') + off.proc.listenerCount('unhandledRejection')).toBe(0);

    const on = setup({ mode: 'warn' });
    expect(on.proc.listenerCount('uncaughtExceptionMonitor')).toBe(1);
    expect(on.proc.listenerCount('unhandledRejection')).toBe(1);
    on.uninstall();
    on.uninstall();
    expect(on.proc.listenerCount('uncaughtExceptionMonitor') + on.proc.listenerCount('unhandledRejection')).toBe(0);
  });

  it('writes one line per error when two apps of the process installed handlers', () => {
    const proc = new FakeProcess();
    const first = recordingLogger();
    const second = recordingLogger();
    const install = (logger: never) =>
      installProcessHandlers({ logger, tracker: createExceptionTracker(new Registry()), flushSync: () => {}, uncaught: true, unhandled: true, rejectionMode: 'throw', process: proc });
    const uninstallFirst = install(first.logger);
    install(second.logger);
    proc.emit('uncaughtExceptionMonitor', new Error('once'), 'uncaughtException');
    expect([first.lines.length, second.lines.length]).toEqual([1, 0]);
    uninstallFirst();
    proc.emit('uncaughtExceptionMonitor', new Error('again'), 'uncaughtException');
    expect([first.lines.length, second.lines.length]).toEqual([1, 1]);
  });

  it('never throws from the monitor, even when logging and flushing fail', () => {
    const proc = new FakeProcess();
    const broken = () => {
      throw new Error('broken');
    };
    installProcessHandlers({
      logger: { fatal: broken, error: broken } as never,
      tracker: createExceptionTracker(new Registry()),
      flushSync: broken,
      uncaught: true,
      unhandled: true,
      rejectionMode: 'throw',
      process: proc,
    });
    expect(() => proc.emit('uncaughtExceptionMonitor', new Error('x'), 'uncaughtException')).not.toThrow();
  });
});

describe('a crashing process', () => {
  const script = fixture('crash-handlers.mjs');

  it('writes the fatal line with its stack to stdout, loses none of the buffered lines, and exits 1 as Node does', async () => {
    const run = await runNode(script, ['top-level']);
    expect(run.code).toBe(1);
    expect(run.lines.filter((l) => l.msg === 'working').map((l) => l.i)).toEqual(expect.arrayContaining([...Array(200).keys()]));
    expect(run.lines).toHaveLength(201);
    // The fatal line is written after the others unless the thread pool had still not run their
    // first write when the grace ran out (src/logging/sonic-boom.ts): found, not taken as the last.
    const fatal = onlyFatal(run);
    expect(fatal).toMatchObject({ msg: PROCESS_ERROR_MESSAGE.fatal, err: { type: 'TypeError', message: 'order 1 not found', first_seen: true } });
    expect(fatal.err.stack).toMatch(/at loadOrder \(.*crash-handlers\.mjs:\d+:\d+\)/);
    // Node's own report of the error is unchanged.
    expect(run.stderr).toMatch(/TypeError: order 1 not found\n\s+at loadOrder/);
  });

  it('logs an exception thrown from a callback with origin uncaughtException', async () => {
    const run = await runNode(script, ['timer']);
    expect(run.code).toBe(1);
    expect(onlyFatal(run)).toMatchObject({ origin: 'uncaughtException', err: { message: 'order 2 not found' } });
  });

  it("keeps running when the app has its own uncaughtException listener, marking a repeated bug as seen", async () => {
    const run = await runNode(script, ['twice']);
    expect(run.code).toBe(0);
    const errors = run.lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => [l.err.message, l.err.first_seen])).toEqual([
      ['order 3 not found', true],
      ['order 4 not found', false],
    ]);
    expect(errors[0]!.err.fingerprint).toBe(errors[1]!.err.fingerprint);
    expect(run.lines.at(-1)!.metric).toContain('periscope_exceptions_total{type="TypeError"} 2');
  });

  it('exits 1 on an unhandled rejection by default, logging it as fatal', async () => {
    const run = await runNode(script, ['reject']);
    expect(run.code).toBe(1);
    expect(onlyFatal(run)).toMatchObject({ origin: 'unhandledRejection', err: { type: 'RangeError' } });
  });

  it('keeps the --unhandled-rejections=warn behaviour: the rejection is logged as error and the process runs on', async () => {
    const run = await runNode(script, ['reject'], { nodeArgs: ['--unhandled-rejections=warn'] });
    expect(run.code).toBe(0);
    expect(run.lines.filter((l) => l.level === 'error').map((l) => l.err.message)).toEqual(['quota 7 exceeded']);
    expect(run.lines.at(-1)!.msg).toBe('still running');
    expect(run.stderr).toContain('UnhandledPromiseRejectionWarning');
  });

  it('changes nothing when turned off: Node reports and exits as usual, no line is logged', async () => {
    const run = await runNode(script, ['top-level'], { env: { PERISCOPE_UNCAUGHT: '0' } });
    expect(run.code).toBe(1);
    expect(run.lines.some((l) => l.level === 'fatal')).toBe(false);
    expect(run.stderr).toContain('TypeError: order 1 not found');
  });
});
