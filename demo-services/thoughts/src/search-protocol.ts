/** Messages between the search pool (main thread) and its workers. */
import type { IndexedThought, SearchHit } from './search-index.ts';

export type WorkerRequest =
  | { type: 'add'; thoughts: IndexedThought[] }
  | { type: 'remove'; ids: string[] }
  | { type: 'search'; id: number; query: string; limit: number; delayMs: number };

export type WorkerReply = { type: 'result'; id: number; hits: SearchHit[] };
