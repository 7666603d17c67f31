import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '@periscope/instrument/contract';
import { SERVICE_NAMES } from '../../shared/src/topology.ts';
import { openCappedFile } from '../src/capped-file.ts';
import { DEFAULT_FOOTPRINT_MB, footprintMb, planFootprint } from '../src/footprint.ts';
import type { Footprint } from '../src/footprint.ts';
import { prepareStateDir, rotate } from '../src/paths.ts';
import { alertmanagerSpec, loadgenSpec, nodeExporterSpec, prometheusSpec, serviceSpec } from '../src/process-specs.ts';
import type { ProcessSpec, SpecContext } from '../src/process-specs.ts';

const MIB = 1024 * 1024;
let dir: string;
beforeEach(() => void (dir = mkdtempSync(path.join(tmpdir(), 'periscope-footprint-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every spec the stack would run, rendered under `footprint`. */
function renderSpecs(footprint: Footprint): ProcessSpec[] {
  const dirs = prepareStateDir(path.join(dir, 'state'));
  const names = [...SERVICE_NAMES, 'prometheus', 'alertmanager', 'nodeExporter', 'receiver'];
  const ports = Object.fromEntries(names.flatMap((name, i) => [[name, 20000 + i], [`${name}Admin`, 21000 + i]]));
  const urls = Object.fromEntries(names.map((name) => [name, `http://127.0.0.1:${ports[name]}`]));
  const ctx: SpecContext = {
    ports,
    urls,
    binaries: { prometheus: '/usr/bin/prometheus', alertmanager: '/usr/bin/prometheus-alertmanager', nodeExporter: '/usr/bin/prometheus-node-exporter' },
    dirs,
    env: {},
    say: () => {},
    logFile: (name) => path.join(dirs.logs, `${name}.log`),
    spansFile: (name) => path.join(dirs.spans, `${name}.jsonl`),
    echoServiceLogs: false,
    footprint,
  };
  return [
    ...SERVICE_NAMES.map((name) => serviceSpec(ctx, name, undefined)),
    loadgenSpec(ctx, 20),
    nodeExporterSpec(ctx),
    alertmanagerSpec(ctx, undefined),
    prometheusSpec(ctx, { targets: {} }).spec,
  ];
}

/** The most disk the rendered specs allow: rotated outputs, launcher-written outputs, Prometheus' retention size. */
function allowedBytes(specs: ProcessSpec[]): number {
  let total = 0;
  for (const spec of specs) {
    const env = spec.env ?? {};
    if (env[ENV.logFile] || env[ENV.spansFile]) {
      const maxBytes = Number(env[ENV.fileMaxBytes]);
      const maxFiles = Number(env[ENV.fileMaxFiles]);
      expect(maxBytes, `${spec.label}: ${ENV.fileMaxBytes}`).toBeGreaterThan(0);
      expect(maxFiles, `${spec.label}: ${ENV.fileMaxFiles}`).toBeGreaterThanOrEqual(0);
      const outputs = [env[ENV.logFile], env[ENV.spansFile]].filter(Boolean).length;
      total += outputs * maxBytes * (maxFiles + 1);
    }
    if (spec.outputFile) {
      expect(spec.outputCap, `${spec.label} writes ${spec.outputFile} without a cap`).toBeDefined();
      total += spec.outputCap!.maxBytes * (spec.outputCap!.maxFiles + 1);
    }
    const retention = spec.args.find((arg) => arg.startsWith('--storage.tsdb.retention.size='));
    if (spec.label === 'Prometheus') {
      expect(retention, 'Prometheus runs without --storage.tsdb.retention.size').toBeDefined();
      const [, mb] = /=(\d+)MB$/.exec(retention!)!;
      total += Number(mb) * MIB;
    }
  }
  return total;
}

describe("the demo's disk budget", () => {
  it.each([DEFAULT_FOOTPRINT_MB, 20, 1024])('keeps the caps of every rendered process within a total of %i MiB', (mb) => {
    const footprint = planFootprint(mb, SERVICE_NAMES.length, 4);
    const specs = renderSpecs(footprint);
    const allowed = allowedBytes(specs);
    expect(allowed).toBeLessThanOrEqual(mb * MIB);
    expect(allowed).toBeGreaterThan(mb * MIB * 0.8); // the shares use the budget, they do not waste it
    expect(footprint.reserveBytes).toBeGreaterThanOrEqual(mb * MIB * 0.09);
  });

  it('gives Prometheus half of the default 200 MiB and each service output about 3.9 MiB', () => {
    const footprint = planFootprint(DEFAULT_FOOTPRINT_MB, 3, 4);
    expect(footprint.prometheusBytes).toBe(100 * MIB);
    expect(footprint.serviceFile).toEqual({ maxBytes: Math.floor((70 * MIB) / 18), maxFiles: 2 });
    expect(footprint.processFile).toEqual({ maxBytes: Math.floor((10 * MIB) / 12), maxFiles: 2 });
    const prometheus = renderSpecs(footprint).find((s) => s.label === 'Prometheus')!;
    expect(prometheus.args).toContain('--storage.tsdb.retention.size=100MB');
  });

  it('reads the total from the flag, then PERISCOPE_DEMO_MAX_MB, and refuses nonsense', () => {
    expect(footprintMb(undefined, {})).toBe(200);
    expect(footprintMb(undefined, { PERISCOPE_DEMO_MAX_MB: '500' })).toBe(500);
    expect(footprintMb('1GB', { PERISCOPE_DEMO_MAX_MB: '500' })).toBe(1024);
    expect(footprintMb('300MB', {})).toBe(300);
    expect(() => footprintMb('lots', {})).toThrow('the demo\'s disk budget must be a size like 200, 200MB or 1GB (MiB, GiB), got "lots"');
    expect(() => planFootprint(5, 3, 4)).toThrow("the demo's disk budget must be a number of MiB of at least 20, got 5");
  });
});

describe('a capped output file', () => {
  it('rotates to .1 and .2 and never holds more than its cap', () => {
    const file = path.join(dir, 'loadgen.log');
    const out = openCappedFile(file, { maxBytes: 1000, maxFiles: 2 });
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 100; i++) out.write(line);
    out.end();
    expect(readdirSync(dir).sort()).toEqual(['loadgen.log', 'loadgen.log.1', 'loadgen.log.2']);
    for (const name of readdirSync(dir)) expect(statSync(path.join(dir, name)).size).toBeLessThanOrEqual(1000);
    expect(readFileSync(file, 'utf8')).toBe(line.repeat(10));
    out.write('late');
    expect(out.dropped).toBe(4);
  });

  it('cuts a single chunk larger than the cap and counts what it dropped', () => {
    const file = path.join(dir, 'big.log');
    const out = openCappedFile(file, { maxBytes: 1024, maxFiles: 0 });
    out.write(Buffer.alloc(3000, 'a'));
    out.end();
    expect(statSync(file).size).toBe(1024);
    expect(out.dropped).toBe(3000 - 1024);
  });

  it("keeps the previous runs' files shifted, at most maxFiles of them", () => {
    const file = path.join(dir, 'users.log');
    for (let run = 1; run <= 4; run++) {
      rotate(file, 2);
      const out = openCappedFile(file, { maxBytes: 1000, maxFiles: 2 });
      out.write(`run ${run}\n`);
      out.end();
    }
    expect(readdirSync(dir).sort()).toEqual(['users.log', 'users.log.1', 'users.log.2']);
    expect([file, `${file}.1`, `${file}.2`].map((f) => readFileSync(f, 'utf8'))).toEqual(['run 4\n', 'run 3\n', 'run 2\n']);
  });
});
