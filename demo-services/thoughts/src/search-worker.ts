/**
 * A search worker thread: keeps its own copy of the index (kept in sync by the pool) and answers
 * searches. The slow-pool fault makes it sleep before answering, holding its pool slot.
 */
import { parentPort } from 'node:worker_threads';
import { SearchIndex } from './search-index.ts';
import type { WorkerRequest, WorkerReply } from './search-protocol.ts';

const index = new SearchIndex();
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const port = parentPort;
if (!port) throw new Error('search-worker.ts runs only as a worker thread');

port.on('message', (message: WorkerRequest) => {
  switch (message.type) {
    case 'add':
      for (const thought of message.thoughts) index.add(thought);
      return;
    case 'remove':
      for (const id of message.ids) index.remove(id);
      return;
    case 'search': {
      // Blocks this worker thread only: the slot stays taken, which is what a slow pool looks like.
      if (message.delayMs > 0) Atomics.wait(sleeper, 0, 0, message.delayMs);
      const reply: WorkerReply = { type: 'result', id: message.id, hits: index.search(message.query, message.limit) };
      port.postMessage(reply);
    }
  }
});
