/**
 * Size-capped local files: the log file, the spans file. When a file would grow past `maxBytes`
 * it is rotated the way logrotate numbers files — `app.log` → `app.log.1` → `app.log.2` … — and
 * the oldest beyond `maxFiles` rotated files is deleted, so the files of one output take about
 * `maxBytes × (maxFiles + 1)` of disk at most. (A file can pass its cap by the lines logged while
 * it is still being opened: it cannot rotate before it exists.) `periscope trace` and `periscope logs`
 * read the current file and the rotated ones.
 *
 * Every writer of one path in the process (the logger, the audit writer) shares one
 * {@link RotatingFile}: it counts their bytes together, has each write out what it still holds
 * for the old file before the rename, and has each reopen the path after it, so no line lands
 * in the wrong file and no writer keeps appending to a renamed (and later deleted) file.
 *
 * The numbering and the shift (`rotatedPaths`, `rotate`) are also served alone at
 * `@periscope/instrument/rotation` (src/rotation.ts), for tools that rotate their own files the
 * same way (the demo's launcher), so this file keeps to node:fs and node:path.
 */
import { renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** How large a local file may grow and how many rotated files are kept. */
export interface RotationPolicy {
  /** Rotate before a write would take the current file past this size, in bytes. */
  readonly maxBytes: number;
  /** Rotated files kept (`.1` … `.N`); older ones are deleted. 0 keeps none. */
  readonly maxFiles: number;
}

/** 50 MiB per file and 3 rotated files: at most about 200 MiB per output. */
export const DEFAULT_ROTATION: RotationPolicy = Object.freeze({ maxBytes: 50 * 1024 * 1024, maxFiles: 3 });

/** The paths of an output, current first, then `.1` (newest rotated) to `.maxFiles`. */
export function rotatedPaths(path: string, maxFiles: number): string[] {
  return [path, ...Array.from({ length: maxFiles }, (_, i) => `${path}.${i + 1}`)];
}

/** Shifts `path` → `path.1` → … and deletes what falls past `maxFiles`. Missing files are skipped. */
export function rotate(path: string, maxFiles: number): void {
  rmSync(`${path}.${maxFiles}`, { force: true });
  if (maxFiles === 0) {
    rmSync(path, { force: true });
    return;
  }
  for (let i = maxFiles - 1; i >= 0; i--) {
    const from = i === 0 ? path : `${path}.${i}`;
    try {
      renameSync(from, `${path}.${i + 1}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/** One writer of a rotated path. */
export interface FileWriter {
  /**
   * Writes out, synchronously, what it holds for the current file; false when it cannot now
   * (its file is still opening), and the rotation waits for a later write.
   */
  settle(): boolean;
  /** Opens the path anew: what it writes from now on goes to the new file. */
  reopen(): void;
}

/** The byte count and rotation of one file path, shared by all its writers in the process. */
export class RotatingFile {
  private static readonly byPath = new Map<string, RotatingFile>();
  private bytes: number;
  private readonly writers = new Set<FileWriter>();

  private constructor(
    readonly path: string,
    private readonly policy: RotationPolicy,
  ) {
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      // Not there yet: it starts empty.
    }
    this.bytes = size;
  }

  /** The shared instance for `path` (the first caller's policy applies to it). */
  static for(path: string, policy: RotationPolicy): RotatingFile {
    const key = resolve(path);
    let file = RotatingFile.byPath.get(key);
    if (file === undefined) RotatingFile.byPath.set(key, (file = new RotatingFile(path, policy)));
    return file;
  }

  /** Adds a writer of this path; returns the function that removes it (when it closes). */
  join(writer: FileWriter): () => void {
    this.writers.add(writer);
    return () => this.writers.delete(writer);
  }

  /**
   * Accounts for `bytes` about to be written. When they would take the file past `maxBytes`
   * (and it is not empty) the file is rotated first — every writer settles, the files shift,
   * every writer reopens — so the write lands in the new file. A rotation that fails
   * (permissions, disk) is thrown to the caller, which reports it; writing goes on to the
   * current file, and the next rotation is tried after another `maxBytes`.
   */
  add(bytes: number): void {
    if (this.bytes > 0 && this.bytes + bytes > this.policy.maxBytes) {
      let settled = true;
      for (const w of this.writers) settled = w.settle() && settled;
      if (settled) {
        this.bytes = 0;
        rotate(this.path, this.policy.maxFiles);
        for (const w of this.writers) w.reopen();
      }
    }
    this.bytes += bytes;
  }
}
