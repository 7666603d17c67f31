/**
 * Full-text search over thoughts, run inside the search workers: every query word must be a prefix
 * of some word of the thought; more matching words rank higher, then newer thoughts first.
 */

/** What the index holds of one thought. */
export interface IndexedThought {
  id: string;
  text: string;
  author: string;
  createdAt: string;
}

/** One search hit. */
export interface SearchHit extends IndexedThought {
  score: number;
}

/** Lower-case words of a text (letters and digits of any script). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** An in-memory index of thoughts. */
export class SearchIndex {
  readonly #docs = new Map<string, { thought: IndexedThought; words: string[] }>();

  get size(): number {
    return this.#docs.size;
  }

  add(thought: IndexedThought): void {
    this.#docs.set(thought.id, { thought, words: words(`${thought.text} ${thought.author}`) });
  }

  remove(id: string): void {
    this.#docs.delete(id);
  }

  /** The best `limit` thoughts matching every word of `query` (none when the query has no words). */
  search(query: string, limit: number): SearchHit[] {
    const terms = words(query);
    if (terms.length === 0) return [];
    const hits: SearchHit[] = [];
    for (const { thought, words: docWords } of this.#docs.values()) {
      let score = 0;
      for (const term of terms) {
        const matches = docWords.filter((w) => w.startsWith(term)).length;
        if (matches === 0) {
          score = 0;
          break;
        }
        score += matches + (docWords.includes(term) ? 1 : 0);
      }
      if (score > 0) hits.push({ ...thought, score });
    }
    hits.sort((a, b) => b.score - a.score || b.createdAt.localeCompare(a.createdAt));
    return hits.slice(0, limit);
  }
}
