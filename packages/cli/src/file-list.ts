/**
 * Which files the commands read: the paths given, directories walked for log and span files,
 * and each file's numbered rotations (`<file>.1` the most recent, `<file>.2` older, …), listed
 * oldest first so a file's lines come out in the order they were written.
 */
import { readdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** Extensions of the files read when a directory is walked (files named explicitly are always read). */
const READABLE = new Set(['.log', '.jsonl', '.json', '.ndjson']);

/** `<base>.<n>`: the n-th rotation of `<base>`. */
const ROTATED = /^(.+)\.([0-9]+)$/;

/** The files to read, and the paths given that do not exist (nor any rotation of them). */
export interface FileList {
  files: string[];
  missing: string[];
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The rotation numbers of `base` among `names`, oldest (highest) first. */
function rotationsOf(base: string, names: readonly string[]): number[] {
  const numbers: number[] = [];
  for (const name of names) {
    const m = ROTATED.exec(name);
    if (m && m[1] === base) numbers.push(Number(m[2]));
  }
  return numbers.sort((a, b) => b - a);
}

/** `file`'s rotations that exist, oldest first, then `file` itself when it exists. */
export function withRotations(file: string): string[] {
  const dir = dirname(file);
  const base = basename(file);
  const rotated = rotationsOf(base, namesIn(dir)).map((n) => join(dir, `${base}.${n}`));
  return statOf(file)?.isFile() ? [...rotated, file] : rotated;
}

/** The base name of `name` when it is a log or span file or a rotation of one. */
function readableBase(name: string): string | undefined {
  const m = ROTATED.exec(name);
  const base = m && READABLE.has(extname(m[1]!)) ? m[1]! : name;
  return READABLE.has(extname(base)) ? base : undefined;
}

function walkDir(dir: string, files: Set<string>): void {
  const names = namesIn(dir).sort();
  const bases = new Set<string>();
  const subdirs: string[] = [];
  for (const name of names) {
    const st = statOf(join(dir, name));
    if (st?.isDirectory()) subdirs.push(name);
    else if (st?.isFile()) {
      const base = readableBase(name);
      if (base !== undefined) bases.add(base);
    }
  }
  for (const base of [...bases].sort()) {
    for (const n of rotationsOf(base, names)) files.add(join(dir, `${base}.${n}`));
    if (names.includes(base)) files.add(join(dir, base));
  }
  for (const sub of subdirs) walkDir(join(dir, sub), files);
}

/** Lists the files under `paths` with their rotations, without duplicates. */
export function listFiles(paths: readonly string[]): FileList {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const p of paths) {
    if (statOf(p)?.isDirectory()) {
      walkDir(p, files);
      continue;
    }
    // A file named explicitly is read whatever its name; it may exist only as rotations
    // (renamed away and not yet written again).
    const found = withRotations(p);
    if (found.length === 0) missing.push(p);
    for (const f of found) files.add(f);
  }
  return { files: [...files], missing };
}

/**
 * Runs `read` on `file`; a file that vanished (rotated away, deleted) or became unreadable since
 * it was listed counts as empty and is added to `skipped`.
 */
export async function readOrSkip<T>(file: string, read: (file: string) => Promise<T[]>, skipped: Set<string>): Promise<T[]> {
  try {
    return await read(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      skipped.add(file);
      return [];
    }
    throw err;
  }
}
