/**
 * The bounded search pool: `size` worker threads, at most one search each, and a queue in front of
 * them. Slots are taken through the package's resource tracker, so the pool's utilization
 * (in use / capacity), saturation (waiting) and errors are the USE series of `search-pool`.
 */
import { Worker } from 'node:worker_threads';
import type { ResourceTracker } from '@periscope/instrument';
import type { IndexedThought, SearchHit } from './search-index.ts';
import type { WorkerReply, WorkerRequest } from './search-protocol.ts';

/** Name of the pool in the `resource` label. */
export const SEARCH_POOL = 'search-pool';

/** Thrown when the queue in front of the pool is full. */
export class PoolBusyError extends Error {
  constructor(waiting: number) {
    super(`search pool is saturated (${waiting} searches waiting)`);
    this.name = 'PoolBusyError';
  }
}

/** Options of {@link createSearchPool}. */
export interface SearchPoolOptions {
  /** Worker threads; the tracker's capacity should match. */
  size: number;
  /** The slot tracker (from `telemetry.resource(...)`). */
  tracker: Pick<ResourceTracker, 'run' | 'waiting'>;
  /** Every thought to index now, and again whenever a worker is replaced. */
  snapshot: () => IndexedThought[];
  /** Extra milliseconds each search holds its worker (the slow-pool fault). */
  delayMs?: () => number;
  /** A search that takes longer fails and its worker is replaced. Default 10 s. */
  taskTimeoutMs?: number;
  /** Searches allowed to wait for a slot; more are refused with {@link PoolBusyError}. Default 64. */
  maxQueue?: number;
}

/** The running pool. */
export interface SearchPool {
  search(query: string, limit: number): Promise<SearchHit[]>;
  add(thoughts: IndexedThought[]): void;
  remove(ids: string[]): void;
  /** Stops every worker; pending searches fail. */
  close(): Promise<void>;
}

interface Task {
  id: number;
  resolve: (hits: SearchHit[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  task?: Task;
}

const WORKER_URL = new URL('./search-worker.ts', import.meta.url);

/** Starts the workers and returns the pool. */
export function createSearchPool(options: SearchPoolOptions): SearchPool {
  const { size, tracker, snapshot } = options;
  const taskTimeoutMs = options.taskTimeoutMs ?? 10_000;
  const maxQueue = options.maxQueue ?? 64;
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(WORKER_URL) };
    slot.worker.on('message', (reply: WorkerReply) => finish(slot, reply.id, () => slot.task?.resolve(reply.hits)));
    slot.worker.on('error', (err) => fail(slot, err));
    slot.worker.on('exit', (code) => fail(slot, new Error(`search worker exited with code ${code}`)));
    slot.worker.unref();
    post(slot, { type: 'add', thoughts: snapshot() });
    return slot;
  };
  const slots: Slot[] = Array.from({ length: size }, spawn);

  function post(slot: Slot, message: WorkerRequest): void {
    slot.worker.postMessage(message);
  }
  function finish(slot: Slot, id: number, settle: () => void): void {
    if (slot.task?.id !== id) return;
    clearTimeout(slot.task.timer);
    settle();
    slot.task = undefined;
  }
  /** A worker crashed or hung: fail its task and put a fresh worker in its place. */
  function fail(slot: Slot, err: Error): void {
    const task = slot.task;
    if (task) finish(slot, task.id, () => task.reject(err));
    if (closed) return;
    const index = slots.indexOf(slot);
    if (index === -1) return;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    slots[index] = spawn();
  }

  function dispatch(query: string, limit: number): Promise<SearchHit[]> {
    const slot = slots.find((s) => !s.task);
    if (!slot) return Promise.reject(new Error('no idle search worker (tracker capacity exceeds the pool size)'));
    return new Promise<SearchHit[]>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => fail(slot, new Error(`search took longer than ${taskTimeoutMs} ms`)), taskTimeoutMs);
      slot.task = { id, resolve, reject, timer };
      post(slot, { type: 'search', id, query, limit, delayMs: options.delayMs?.() ?? 0 });
    });
  }

  return {
    async search(query, limit) {
      if (closed) throw new Error('search pool is closed');
      if (tracker.waiting >= maxQueue) throw new PoolBusyError(tracker.waiting);
      return tracker.run(() => dispatch(query, limit));
    },
    add(thoughts) {
      for (const slot of slots) post(slot, { type: 'add', thoughts });
    },
    remove(ids) {
      for (const slot of slots) post(slot, { type: 'remove', ids });
    },
    async close() {
      closed = true;
      await Promise.all(
        slots.map(async (slot) => {
          slot.worker.removeAllListeners();
          const task = slot.task;
          if (task) finish(slot, task.id, () => task.reject(new Error('search pool is closed')));
          await slot.worker.terminate();
        }),
      );
    },
  };
}
