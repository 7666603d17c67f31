import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('@periscope/cli as a library', () => {
  it('exports exactly main and spansOf (a change here is deliberate)', () => {
    expect(Object.keys(api).sort()).toEqual(['main', 'spansOf']);
  });

  it('loads from the built package', () => {
    const script = `import * as m from '@periscope/cli'; console.log(JSON.stringify(Object.keys(m).sort()));`;
    expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: pkgDir, encoding: 'utf8' }))).toEqual(['main', 'spansOf']);
  });

  it('imports nothing but Node, its own modules and the public contract of @periscope/instrument', () => {
    const src = join(pkgDir, 'src');
    const imports = readdirSync(src).flatMap((f) => [...readFileSync(join(src, f), 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gms)].map((m) => m[1]!));
    expect(imports.length).toBeGreaterThan(10);
    expect([...new Set(imports.filter((i) => !i.startsWith('node:') && !/^\.\/[\w-]+\.js$/.test(i)))]).toEqual(['@periscope/instrument/contract']);
  });
});
