/**
 * Every piece of SonicBoom's internal state that Periscope reads or changes, in one place.
 *
 * SonicBoom (pino's asynchronous destination) declares none of these in its types: its fields
 * `_writing`, `_len`, `_opening`, `_reopening` are its own state, and `fd` and `minLength` are
 * plain fields it reads on every write. Version 4.2 has no public way to ask whether a write is on
 * the thread pool or how much it holds (its events are `ready`, `write`, `drain`, `drop`,
 * `error`, `finish`, `close`; its `flush(cb)` calls back at once when `minLength` is 0). So
 * sonic-boom is pinned to the version tested (package.json), each use goes through this module,
 * and test/sonic-boom-internals.test.ts fails, naming the field, when an upgrade changes one.
 * {@link SONIC_BOOM_INTERNALS} is the list that test checks.
 */
import type { SonicBoom as PublicSonicBoom } from 'sonic-boom';

/** A SonicBoom, as its types declare it (pino's `destination()` returns one). */
export type SonicBoom = PublicSonicBoom & { destroyed?: boolean };

/** The fields used, and what each holds. */
interface Fields {
  /** Its file descriptor; negative until the file is open. */
  fd: number;
  /** Below this many bytes held, `write` starts no write of its own. */
  minLength: number;
  /** A write is on the thread pool (or the file is being opened). */
  _writing: boolean;
  /** UTF-8 bytes held, including the write on the thread pool. */
  _len: number;
  /** Its file is being opened, or reopened (set only for a destination given a path). */
  _opening?: boolean;
  /** `reopen()` was called and the new file is not open yet. */
  _reopening: boolean;
}

/**
 * The fields and the `typeof` each has on a destination opened on a file, for the guard test.
 */
export const SONIC_BOOM_INTERNALS = Object.freeze({
  fd: 'number',
  minLength: 'number',
  _writing: 'boolean',
  _len: 'number',
  _opening: 'boolean',
  _reopening: 'boolean',
} as const satisfies Record<keyof Fields, string>);

const fields = (boom: SonicBoom) => boom as unknown as Fields;

/** Its file descriptor (negative until its file is open). */
export function fdOf(boom: SonicBoom): number {
  return fields(boom).fd;
}

/** Whether a write is on libuv's thread pool. */
export function isWriting(boom: SonicBoom): boolean {
  return fields(boom)._writing === true;
}

/** UTF-8 bytes it holds, the write on the thread pool included. */
export function bytesHeld(boom: SonicBoom): number {
  return fields(boom)._len ?? 0;
}

/** Whether its file is not open yet, or is being reopened after a rotation. */
export function isOpeningFile(boom: SonicBoom): boolean {
  const f = fields(boom);
  return f.fd < 0 || f._opening === true || f._reopening === true;
}

/**
 * Runs `write` with the destination's `minLength` raised past anything, so a write queues its
 * text behind what the destination holds instead of starting a write of its own on the thread
 * pool; `minLength` is restored afterwards, whatever `write` throws.
 */
export function withoutWriteOfItsOwn(boom: SonicBoom, write: () => void): void {
  const f = fields(boom);
  const { minLength } = f;
  f.minLength = Number.POSITIVE_INFINITY;
  try {
    write();
  } finally {
    f.minLength = minLength;
  }
}
