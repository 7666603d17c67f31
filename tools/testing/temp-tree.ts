/** Temporary file trees for tests: written from a path → content map, deleted together. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const trees: string[] = [];

/** Writes `files` (path → content) under a new temporary directory and returns it. */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'periscope-tree-'));
  trees.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Deletes every directory tempTree made in this test file (call from afterAll). */
export function removeTempTrees(): void {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
}
