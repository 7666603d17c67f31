/**
 * Lines logged in one turn of the event loop, handed to their destination in one write.
 *
 * pino's asynchronous destination (sonic-boom 4) measures the UTF-8 length of the text it still
 * holds on every write, so under load each line costs time in proportion to the buffer behind it
 * (up to 16 KiB): about 5 µs a line, more than serializing it. Given one string per turn it
 * measures once per batch instead. Lines keep their order; a flush, a rotation and the process's
 * exit write out the batch first, so no line is held back longer than one turn.
 */

/** What a batch writes into: the destination, as far as this module needs it. */
export interface BatchTarget {
  write(text: string): unknown;
  /** Writes out what the destination holds, synchronously (at exit). */
  flushSync?(): void;
}

/** Batches with lines waiting, written out at process exit if they are still waiting then. */
const waiting = new Set<LineBatch>();
let exitHookInstalled = false;

function writeOutAtExit(): void {
  for (const batch of [...waiting]) {
    batch.drain();
    batch.flushTargetSync();
  }
}

/** See the module comment. */
export class LineBatch {
  private pending = '';
  private scheduled = false;

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

  /** Adds a line; it is written at the end of this turn of the event loop. */
  write(line: string): void {
    this.pending += line;
    if (!this.scheduled) {
      this.scheduled = true;
      waiting.add(this);
      setImmediate(this.drain);
    }
  }

  /** Writes the lines held so far to the destination now. */
  readonly drain = (): void => {
    this.scheduled = false;
    waiting.delete(this);
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    try {
      this.target.write(text);
    } catch (err) {
      this.onError(err);
    }
  };

  /** Has the destination write out what it holds, synchronously; failures (a full pipe) keep the lines there. */
  flushTargetSync(): void {
    try {
      this.target.flushSync?.();
    } catch {
      // EAGAIN on a full pipe: the destination keeps the lines.
    }
  }
}
