import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderAll, staleFiles } from '../src/generate.ts';

describe('generated dashboards', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('match the committed JSON under deploy/grafana/dashboards (run npm run dashboards:generate when this fails)', () => {
    expect(staleFiles(renderAll())).toEqual([]);
  });

  it('write the five dashboards, one file per uid', () => {
    expect([...renderAll().keys()].sort()).toEqual([
      'periscope-host.json',
      'periscope-nodejs-runtime.json',
      'periscope-service-detail.json',
      'periscope-services-overview.json',
      'periscope-slos.json',
    ]);
  });

  it('render byte for byte the same on every run', () => {
    expect([...renderAll()]).toEqual([...renderAll()]);
  });

  it('names a file that differs, one that is missing and one that is extra as stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'periscope-dash-'));
    dirs.push(dir);
    const rendered = renderAll();
    const [first, second] = [...rendered.keys()];
    for (const [file, text] of rendered) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, first!), '{}\n');
    rmSync(join(dir, second!));
    writeFileSync(join(dir, 'old-dashboard.json'), '{}\n');
    expect(staleFiles(rendered, dir)).toEqual([first, second, 'old-dashboard.json'].sort());
  });
});
