import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RotatingFile, rotate, rotatedPaths } from '../src/core/rotating-file.js';
import * as rotation from '../src/rotation.js';
import { closeAll, startApp, tempDir, waitFor } from './helpers.js';

afterEach(closeAll);

/** Every JSON line of an output: its rotated files oldest first, then the current one. */
function allLines(path: string, maxFiles: number): Record<string, any>[] {
  return rotatedPaths(path, maxFiles)
    .reverse()
    .filter((p) => existsSync(p))
    .flatMap((p) => readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>));
}

describe('rotated local files', () => {
  it('shift app.log to app.log.1 and on, deleting what falls past maxFiles', () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    for (const [p, text] of [[path, 'current'], [`${path}.1`, 'one'], [`${path}.2`, 'two']] as const) writeFileSync(p, text);
    rotate(path, 2);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('current');
    expect(readFileSync(`${path}.2`, 'utf8')).toBe('one');
    expect(existsSync(`${path}.3`)).toBe(false);
  });

  it('rotate before the write that would pass maxBytes, and tell every writer of the path to reopen', () => {
    const path = join(tempDir(), 'app.log');
    writeFileSync(path, 'x'.repeat(60));
    const file = RotatingFile.for(path, { maxBytes: 100, maxFiles: 1 });
    expect(RotatingFile.for(path, { maxBytes: 1, maxFiles: 9 })).toBe(file);
    let reopened = 0;
    let ready = false;
    file.join({ settle: () => ready, reopen: () => reopened++ });
    file.add(30); // 90: fits
    expect(reopened).toBe(0);
    file.add(5); // would be 125, but a writer cannot settle yet: the rotation waits
    expect(reopened).toBe(0);
    expect(existsSync(`${path}.1`)).toBe(false);
    ready = true;
    file.add(30); // rotate first, then count the write in the new file
    expect(reopened).toBe(1);
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('x'.repeat(60));
  });

  it('keep every log and audit line of a busy service across rotations, each file under its cap', async () => {
    const maxBytes = 8 * 1024;
    const t = await startApp(
      (app, telemetry) => {
        app.get('/work/:n', (req, res) => {
          const n = Number(req.params.n);
          if (n % 10 === 0) telemetry.audit({ action: 'work.done', actor: `user:${n}`, outcome: 'success' });
          res.json({ n });
        });
      },
      { fileRotation: { maxBytes, maxFiles: 100 } },
    );
    for (let n = 0; n < 300; n++) expect((await fetch(`${t.base}/work/${n}`)).status).toBe(200);
    // The access line is written when the response closes, which can be just after the client has it.
    const lines = await waitFor(async () => {
      await t.telemetry.flush();
      const all = allLines(t.logFile, 100);
      return all.filter((l) => l.msg === 'request completed').length >= 300 ? all : undefined;
    }, 5000, '300 access lines');
    // Every line once. (A write still in flight at a rotation may land after lines queued behind it.)
    const paths = lines.filter((l) => l.msg === 'request completed').map((l) => l.http.path);
    expect(paths.sort()).toEqual(Array.from({ length: 300 }, (_, n) => `/work/${n}`).sort());
    expect(lines.filter((l) => l.log_type === 'audit').map((l) => l.actor).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `user:${i * 10}`).sort());
    const files = rotatedPaths(t.logFile, 100).filter((p) => existsSync(p));
    expect(files.length).toBeGreaterThan(5);
    // Lines logged while a new file is still opening go to it before it can rotate: a small slack.
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(maxBytes + 32 * 1024);
    expect(files.filter((f) => statSync(f).size <= maxBytes).length).toBeGreaterThan(files.length / 2);
  });

  it('bound the disk an output takes: the oldest rotated files go', async () => {
    const t = await startApp((app) => app.get('/x', (_req, res) => res.json({})), { fileRotation: { maxBytes: 4096, maxFiles: 2 } });
    for (let n = 0; n < 200; n++) await (await fetch(`${t.base}/x`)).text();
    await t.accessLines();
    await t.telemetry.flush();
    expect(existsSync(`${t.logFile}.2`)).toBe(true);
    expect(existsSync(`${t.logFile}.3`)).toBe(false);
    const total = rotatedPaths(t.logFile, 2).reduce((sum, p) => sum + (existsSync(p) ? statSync(p).size : 0), 0);
    // Lines logged while a new file is still opening go to it before it can rotate: a small slack.
    expect(total).toBeLessThanOrEqual(3 * 4096 + 32 * 1024);
    // 200 access lines of ~400 bytes were written: most of them are gone with the oldest files.
    expect(total).toBeLessThan(200 * 300);
  });

  it('cap the spans file too, with every exported span in the current or a rotated file', async () => {
    const spansFile = join(tempDir(), 'spans.jsonl');
    const t = await startApp((app) => app.get('/s', (_req, res) => res.json({})), { spansFile, fileRotation: { maxBytes: 4096, maxFiles: 100 } });
    for (let n = 0; n < 60; n++) {
      await (await fetch(`${t.base}/s`)).text();
      if (n % 10 === 9) await t.telemetry.flush();
    }
    await t.telemetry.flush();
    const spans = allLines(spansFile, 100).flatMap((req) => req.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
    expect(spans.filter((s: any) => s.name === 'GET /s')).toHaveLength(60);
    expect(existsSync(`${spansFile}.1`)).toBe(true);
  });

  it('can be turned off, and is checked when instrument() is called', async () => {
    const { resolveOptions } = await import('../src/options.js');
    expect(resolveOptions({ fileRotation: false }).fileRotation).toBe(false);
    expect(resolveOptions({}, { PERISCOPE_FILE_MAX_BYTES: '2048', PERISCOPE_FILE_MAX_FILES: '0' }).fileRotation).toEqual({ maxBytes: 2048, maxFiles: 0 });
    expect(() => resolveOptions({ fileRotation: { maxBytes: 10 } })).toThrow('Invalid option "fileRotation.maxBytes": got 10 - expected an integer from 1024 to 9007199254740991');
    expect(() => resolveOptions({ fileRotation: { size: 10 } })).toThrow('Invalid option "fileRotation.size"');
    expect(() => resolveOptions({ fileRotation: 'daily' })).toThrow(TypeError);
  });
});

describe('@periscope/instrument/rotation', () => {
  const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');

  it('serves the numbering and the shift alone, the same functions the package rotates with (a change here is deliberate)', () => {
    expect(Object.keys(rotation).sort()).toEqual(['rotate', 'rotatedPaths']);
    expect(rotation.rotate).toBe(rotate);
    expect(rotation.rotatedPaths).toBe(rotatedPaths);
    const esm = `import * as r from '@periscope/instrument/rotation'; console.log(JSON.stringify([Object.keys(r).sort(), r.rotatedPaths('a.log', 2)]));`;
    const cjs = `const r = require('@periscope/instrument/rotation'); console.log(JSON.stringify([Object.keys(r).filter(k => k !== '__esModule').sort(), r.rotatedPaths('a.log', 2), !Object.keys(require.cache).some(f => /node_modules[\\/](express|pino|prom-client|@opentelemetry)[\\/]/.test(f))]));`;
    const expected = [['rotate', 'rotatedPaths'], ['a.log', 'a.log.1', 'a.log.2']];
    expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', esm], { cwd: pkgDir, encoding: 'utf8' }))).toEqual(expected);
    // Loading it loads none of the runtime dependencies.
    expect(JSON.parse(execFileSync(process.execPath, ['-e', cjs], { cwd: pkgDir, encoding: 'utf8' }))).toEqual([...expected, true]);
  });
});
