/**
 * pino's asynchronous destination (SonicBoom), as far as Periscope uses it, and the one thing it
 * cannot do by itself: write out everything it holds, in order, when the process is about to exit.
 *
 * An asynchronous SonicBoom has at most one write on libuv's thread pool. Its `flushSync()` writes
 * what it holds after that write synchronously, without waiting for it, so when the pool has not
 * run that write yet (right after start-up, while the pool's threads are being created, or when
 * they are busy) the lines written synchronously — the fatal line of a crash — land before
 * earlier lines. The pool still runs that write as Node exits (every line arrived in every
 * crash measured here), so nothing is lost; only the order suffers. {@link writeOutSync} gives
 * that write a short grace first, and writes the rest itself instead of starting another
 * asynchronous write.
 *
 * Its `flush(cb)` calls back at once when `minLength` is 0 (Periscope's case), before anything
 * is written; {@link onWrittenOut} waits for its `drain` instead.
 */
import { bytesHeld, isOpeningFile, isWriting, withoutWriteOfItsOwn } from './sonic-boom-internals.js';
import type { SonicBoom } from './sonic-boom-internals.js';

export type { SonicBoom } from './sonic-boom-internals.js';

/**
 * How long {@link writeOutSync} waits for a write already on the thread pool, in milliseconds.
 * The pool performs one within microseconds once its threads run; measured on 2 cores with three
 * busy loops beside it, waiting 5 ms was enough in 100 crashes out of 100 (1 ms in 93). Ten times
 * that leaves room for a pool busy with other work; the wait happens only at exit or in a crash,
 * and only while a write is in flight.
 */
export const IN_FLIGHT_GRACE_MS = 50;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Whether `boom`'s file is not open yet, or is being reopened after a rotation: nothing can be written to it now. */
export function isOpening(boom: SonicBoom): boolean {
  return isOpeningFile(boom);
}

/**
 * Writes `text` after everything `boom` holds, and all of it to its file descriptor, before
 * returning — for a process that may be about to exit. A write already on the thread pool gets
 * {@link IN_FLIGHT_GRACE_MS} to land first. A destination whose file is not open yet keeps the
 * text (it is written when the file opens, if the process lives that long). Throws what
 * `flushSync` throws (EAGAIN past SonicBoom's retries on a full pipe); the text is then held.
 */
export function writeOutSync(boom: SonicBoom, text: string): void {
  if (boom.destroyed) return;
  if (isOpening(boom)) {
    if (text !== '') boom.write(text);
    return;
  }
  if (isWriting(boom)) Atomics.wait(sleeper, 0, 0, IN_FLIGHT_GRACE_MS);
  // Held below its minimum for this one call, the destination queues the text behind what it
  // holds instead of handing it to the thread pool as a write of its own.
  if (text !== '') withoutWriteOfItsOwn(boom, () => boom.write(text));
  boom.flushSync();
}

/**
 * Calls `done` once `boom` has written everything it holds to its file descriptor — after its
 * file has opened (or reopened, after a rotation) — or has failed. Lines logged meanwhile are
 * waited for too; the caller bounds the wait.
 */
export function onWrittenOut(boom: SonicBoom, done: () => void): void {
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    boom.off('error', finish);
    done();
  };
  const check = () => {
    if (finished) return;
    if (boom.destroyed || (!isOpening(boom) && !isWriting(boom) && bytesHeld(boom) === 0)) finish();
    else boom.once(isOpening(boom) ? 'ready' : 'drain', check);
  };
  boom.once('error', finish);
  check();
}
