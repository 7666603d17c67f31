/**
 * The LogQL in docs/ parses (with the parser Grafana's editor uses) and only uses the labels and
 * structured metadata that deploy/alloy/config.alloy actually sets.
 */
import { describe, expect, it } from 'vitest';
import { LOG_KEY } from '@periscope/instrument/contract';
import { syntaxErrors } from '../grafana/src/check/syntax.ts';
import { readText } from './helpers/repo.ts';

const DOCS = ['docs/tracing-a-request.md', 'docs/getting-started.md'];
/** Stream labels Alloy sets (stage.labels, stage.static_labels, stage.match) and keeps (stage.label_keep). */
const LABELS = ['service', 'level', 'env', LOG_KEY.logType];

function logqlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```logql\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
}

function inlineQueries(markdown: string): string[] {
  return [...markdown.matchAll(/`(\{[^`]+)`/g)].map((m) => m[1]!).filter((q) => /^\{\w+(=|=~|!=)"/.test(q));
}

const queries = DOCS.flatMap((file) => [...logqlBlocks(readText(file)), ...inlineQueries(readText(file))].map((q) => ({ file, q })));

describe('LogQL in the docs', () => {
  it('has the two queries the docs promise', () => {
    const all = queries.map((x) => x.q);
    expect(all).toContain('{env="demo"} | request_id="8c0f6a3e-2f1b-4c7e-9d2a-51e0b7c4a6f9"');
    expect(all).toContain('{service="users", level=~"error|fatal"}');
  });

  it.each(queries)('parses: $q', ({ q }) => {
    expect(syntaxErrors('logql', q)).toEqual([]);
  });

  it('selects streams only by labels Alloy sets, and filters request IDs as structured metadata', () => {
    for (const { q } of queries) {
      const selector = /^[^{]*\{([^}]*)\}/.exec(q)![1]!;
      for (const [, label] of selector.matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)) expect(LABELS, q).toContain(label);
      if (new RegExp(`${LOG_KEY.requestId}\\s*=`).test(q)) expect(q).toMatch(new RegExp(`\\| ${LOG_KEY.requestId}="`));
    }
  });

  it('the parser rejects a broken query (so the checks above can fail)', () => {
    expect(syntaxErrors('logql', '{service="users" | request_id=')).not.toEqual([]);
  });
});
