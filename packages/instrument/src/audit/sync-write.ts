/**
 * Synchronous, complete writes to a file descriptor: a line is on its way to the file or pipe
 * when the call returns. Partial writes are continued; `EAGAIN` (a non-blocking pipe that is
 * full) is retried for a bounded time.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RotatingFile } from '../core/rotating-file.js';

/** Longest total wait for a full pipe to drain before the write fails, in ms. */
export const EAGAIN_BUDGET_MS = 1000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `data` to `fd`, or throws the error that stopped it. */
export function writeFully(fd: number, data: string | Buffer, write: typeof writeSync = writeSync, budgetMs = EAGAIN_BUDGET_MS): void {
  let buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let deadline: number | undefined;
  while (buf.length > 0) {
    try {
      const n = write(fd, buf);
      buf = buf.subarray(n);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      deadline ??= Date.now() + budgetMs;
      if (Date.now() >= deadline) throw err;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}

/** A file opened for appending on first use (its folder created), reopened after a failure. */
export interface AppendFile {
  /** Appends `line` completely, or throws. */
  append(line: string): void;
  close(): void;
}

/**
 * See {@link AppendFile}. With `rotation`, each line is counted toward the file's cap first (it
 * may rotate the file), and the file is reopened after every rotation, whoever caused it.
 */
export function appendFile(path: string, rotation?: RotatingFile): AppendFile {
  let fd: number | undefined;
  const closeFd = () => {
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      // Already unusable.
    }
    fd = undefined;
  };
  rotation?.join({ settle: () => true, reopen: closeFd });
  return {
    append(line) {
      try {
        rotation?.add(line.length);
      } catch {
        // The file could not be rotated: the line still goes to the current file. The service's
        // logger, which writes the same file, reports the failure.
      }
      if (fd === undefined) {
        mkdirSync(dirname(path), { recursive: true });
        fd = openSync(path, 'a');
      }
      try {
        writeFully(fd, line);
      } catch (err) {
        // The next event opens the file again (rotated away, or the disk came back).
        closeFd();
        throw err;
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
