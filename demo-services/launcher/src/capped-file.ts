/**
 * An output file the launcher writes for a child process (loadgen, Prometheus, Alertmanager, the
 * node exporter), capped and rotated the way `@periscope/instrument` rotates its log and spans
 * files: `loadgen.log` → `loadgen.log.1` → … → `loadgen.log.<maxFiles>`, the oldest deleted. One
 * output takes at most `maxBytes × (maxFiles + 1)` (a single chunk larger than `maxBytes` is cut).
 * Writes are synchronous: the volume is a few lines a second, and no line can land in a renamed file.
 *
 * The files shift by the package's own rule, `rotate` from `@periscope/instrument/rotation` (the
 * numbering `<file>.1` newest … `<file>.<maxFiles>` that `periscope logs` and `periscope trace`
 * read): one implementation, reached through a subpath of its own rather than the package's main
 * door, which stays `instrument()`, its types and the telemetry contract.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { rotate } from '@periscope/instrument/rotation';
import type { FileCap } from './footprint.ts';

/** A size-capped append-only file. */
export interface CappedFile {
  write(chunk: Buffer | string): void;
  /** Closes the file; later writes are dropped. */
  end(): void;
  /** Bytes dropped: cut from chunks larger than the cap, or written after `end()` or after an I/O error. */
  readonly dropped: number;
}

/** Opens `file` for appending under `cap`. An I/O error stops the writing (counted in `dropped`), never throws. */
export function openCappedFile(file: string, cap: FileCap): CappedFile {
  let fd: number | undefined = openSync(file, 'a');
  let size = statSync(file).size;
  let dropped = 0;
  return {
    write(chunk) {
      let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (fd === undefined) {
        dropped += data.length;
        return;
      }
      try {
        if (size > 0 && size + data.length > cap.maxBytes) {
          closeSync(fd);
          fd = undefined;
          rotate(file, cap.maxFiles);
          fd = openSync(file, 'a');
          size = 0;
        }
        if (data.length > cap.maxBytes) {
          dropped += data.length - cap.maxBytes;
          data = data.subarray(0, cap.maxBytes);
        }
        writeSync(fd, data);
        size += data.length;
      } catch {
        dropped += data.length;
        closeQuietly(fd);
        fd = undefined;
      }
    },
    end() {
      closeQuietly(fd);
      fd = undefined;
    },
    get dropped() {
      return dropped;
    },
  };
}

function closeQuietly(fd: number | undefined): void {
  try {
    if (fd !== undefined) closeSync(fd);
  } catch {
    // Already unusable: nothing more to write to it.
  }
}
