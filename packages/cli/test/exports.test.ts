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

  it('imports nothing but Node, its own modules, the public contract of @periscope/instrument, the stack\'s settings and yaml', () => {
    const src = join(pkgDir, 'src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const imports = files.flatMap((f) => [...readFileSync(join(src, f), 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gms)].map((m) => m[1]!));
    expect(imports.length).toBeGreaterThan(10);
    expect([...new Set(imports.filter((i) => !i.startsWith('node:') && !/^\.\.?\/(?:[\w-]+\/)?[\w-]+\.js$/.test(i)))].sort()).toEqual(['@periscope/instrument/contract', '@periscope/stack', 'yaml']);
  });
});
