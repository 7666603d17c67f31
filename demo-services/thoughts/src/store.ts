/**
 * The thoughts service's in-memory store: newest first, bounded (the oldest are dropped past the
 * cap, so a long demo run keeps a flat memory profile), seeded with a few dozen thoughts.
 */
import { DEMO_ACCOUNTS } from '../../shared/src/demo-accounts.ts';
import { SEED_TEXTS } from './seed.ts';

/** One thought. */
export interface Thought {
  id: string;
  authorId: string;
  author: string;
  text: string;
  createdAt: string;
}

/** What a change did to the store, for the search index to follow. */
export interface StoreChange {
  added: Thought;
  evicted: string[];
}

/** The store. */
export interface ThoughtStore {
  readonly size: number;
  /** Newest first. */
  list(limit: number, offset?: number): Thought[];
  get(id: string): Thought | undefined;
  create(author: { id: string; username: string }, text: string): StoreChange;
  /** Removes a thought; returns it, or undefined when there was none. */
  remove(id: string): Thought | undefined;
  all(): Thought[];
}

/** Builds a store holding at most `cap` thoughts, seeded with {@link SEED_TEXTS} spread over the last day. */
export function createThoughtStore(cap = 5000, now = Date.now()): ThoughtStore {
  const thoughts: Thought[] = []; // oldest first
  const byId = new Map<string, Thought>();
  let next = 1;
  const add = (authorId: string, author: string, text: string, at: number): StoreChange => {
    const thought: Thought = { id: `t${next++}`, authorId, author, text, createdAt: new Date(at).toISOString() };
    thoughts.push(thought);
    byId.set(thought.id, thought);
    const evicted = thoughts.splice(0, Math.max(0, thoughts.length - cap)).map((t) => t.id);
    for (const id of evicted) byId.delete(id);
    return { added: thought, evicted };
  };
  SEED_TEXTS.forEach((text, i) => {
    const account = DEMO_ACCOUNTS[i % DEMO_ACCOUNTS.length]!;
    add(account.id, account.username, text, now - (SEED_TEXTS.length - i) * 20 * 60_000);
  });
  return {
    get size() {
      return thoughts.length;
    },
    list(limit, offset = 0) {
      const end = thoughts.length - offset;
      return thoughts.slice(Math.max(0, end - limit), Math.max(0, end)).reverse();
    },
    get: (id) => byId.get(id),
    create: (author, text) => add(author.id, author.username, text, Date.now()),
    remove(id) {
      const thought = byId.get(id);
      if (!thought) return undefined;
      byId.delete(id);
      thoughts.splice(thoughts.indexOf(thought), 1);
      return thought;
    },
    all: () => [...thoughts],
  };
}
