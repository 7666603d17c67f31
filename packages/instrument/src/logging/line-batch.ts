/**
 * Log lines gathered for a few milliseconds, then handed to their destination in one write.
 *
 * pino's asynchronous destination (sonic-boom 4) measures the UTF-8 length of the text it still
 * holds on every write, so under load each line costs time in proportion to the buffer behind it
 * (up to 16 KiB): about 5 µs a line, more than serializing it. Given one string per batch it
 * measures once per batch instead, and the file gets fewer, larger writes (each a system call on
 * libuv's thread pool). A batch is written {@link BATCH_MS} after its first line, or at once when
 * it reaches {@link BATCH_BYTES}. Lines keep their order; a flush, a rotation and the process's
 * exit write out the batch first; at exit and in a crash, synchronously (drainSync).
 */

/** What a batch writes into: the destination, as far as this module needs it. */
export interface BatchTarget {
  write(text: string): unknown;
  /**
   * Writes `text` after what the destination holds, and all of it out, before returning (the
   * process may be about to exit). Without it, {@link LineBatch.drainSync} falls back to `write`.
   */
  writeSync?(text: string): void;
}

/** Longest a line waits in a batch, in milliseconds. */
export const BATCH_MS = 10;
/** A batch this long (in UTF-16 code units, about bytes) is written at once. */
export const BATCH_BYTES = 16 * 1024;

/** Batches with lines waiting, written out at process exit if they are still waiting then. */
const waiting = new Set<LineBatch>();
let exitHookInstalled = false;

function writeOutAtExit(): void {
  for (const batch of [...waiting]) batch.drainSync();
}

/** See the module comment. */
export class LineBatch {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  /** `onError` receives a failure of the destination's write (reported, never thrown into a timer). */
  constructor(
    private readonly target: BatchTarget,
    private readonly onError: (err: unknown) => void,
  ) {
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', writeOutAtExit);
    }
  }

  /** Adds a line; it is written within {@link BATCH_MS}. */
  write(line: string): void {
    this.pending += line;
    if (this.pending.length >= BATCH_BYTES) this.drain();
    else if (this.timer === undefined) {
      waiting.add(this);
      this.timer = setTimeout(this.drain, BATCH_MS);
    }
  }

  /** Writes the lines held so far to the destination now. */
  readonly drain = (): void => {
    const text = this.take();
    if (text === '') return;
    try {
      this.target.write(text);
    } catch (err) {
      this.onError(err);
    }
  };

  /**
   * Writes the lines held so far, and what the destination holds, out before returning: at the
   * process's exit, and for the fatal line of a crash. A failure (EAGAIN on a full pipe past the
   * destination's retries) leaves the lines with the destination.
   */
  drainSync(): void {
    const text = this.take();
    try {
      if (this.target.writeSync) this.target.writeSync(text);
      else if (text !== '') this.target.write(text);
    } catch {
      // The destination keeps the lines.
    }
  }

  /** The lines held so far, no longer held or awaited by a timer. */
  private take(): string {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    waiting.delete(this);
    const text = this.pending;
    this.pending = '';
    return text;
  }
}
