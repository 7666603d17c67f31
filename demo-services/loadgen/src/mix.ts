/**
 * The traffic mix: what a realistic visitor of the Thoughts app does, with weights. Mostly reading
 * and searching, some posting and logging in, and a share of mistakes (404s, 401s, bad input).
 */
import { DEMO_ACCOUNTS } from '../../shared/src/demo-accounts.ts';

/** One request to send. */
export interface PlannedRequest {
  /** Short name of the action, for the progress line. */
  action: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** What the mix needs to know: tokens of logged-in users (may be empty before the first login). */
export interface MixState {
  tokens: string[];
}

const SEARCH_WORDS = ['latency', 'loom', 'pool', 'alert', 'trace', 'queue', 'runbook', 'event loop', 'burn rate', 'logs', 'numbers', 'ships'];
const POST_TEXTS = [
  'Watching the p99 climb while the median sleeps.',
  'Added a timeout; the retries stopped piling up.',
  'The search pool is busy again.',
  'Traced a slow page to a single database call.',
  'Error budget is fine this week.',
  'One more dashboard, one fewer mystery.',
];

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

type Planner = (state: MixState, random: () => number) => PlannedRequest;

/** The actions and their weights (out of 100). */
export const MIX: ReadonlyArray<{ weight: number; plan: Planner }> = [
  { weight: 30, plan: () => ({ action: 'list', method: 'GET', path: '/api/thoughts?limit=20' }) },
  { weight: 10, plan: () => ({ action: 'home', method: 'GET', path: '/' }) },
  { weight: 8, plan: (_s, r) => ({ action: 'read', method: 'GET', path: `/api/thoughts/t${1 + Math.floor(r() * 40)}` }) },
  { weight: 20, plan: (_s, r) => ({ action: 'search', method: 'GET', path: `/api/search?q=${encodeURIComponent(pick(SEARCH_WORDS, r))}` }) },
  { weight: 5, plan: (_s, r) => ({ action: 'user', method: 'GET', path: `/api/users/${pick(DEMO_ACCOUNTS, r).id}` }) },
  {
    weight: 12,
    plan: (s, r) =>
      s.tokens.length === 0
        ? login(r)
        : { action: 'post', method: 'POST', path: '/api/thoughts', headers: { authorization: `Bearer ${pick(s.tokens, r)}` }, body: { text: pick(POST_TEXTS, r) } },
  },
  { weight: 5, plan: (_s, r) => login(r) },
  { weight: 4, plan: (_s, r) => ({ action: '404', method: 'GET', path: pick(['/api/thoughts/t999999', '/api/users/u999', '/no-such-page'], r) }) },
  {
    weight: 4,
    plan: (_s, r) => ({ action: '401', method: 'POST', path: '/api/thoughts', headers: { authorization: 'Bearer v1.bm90LWEtdG9rZW4.forged' }, body: { text: pick(POST_TEXTS, r) } }),
  },
  { weight: 2, plan: (_s, r) => ({ action: 'bad login', method: 'POST', path: '/api/login', body: { username: pick(DEMO_ACCOUNTS, r).username, password: 'wrong-password' } }) },
];

function login(random: () => number): PlannedRequest {
  const account = pick(DEMO_ACCOUNTS, random);
  return { action: 'login', method: 'POST', path: '/api/login', body: { username: account.username, password: account.password } };
}

const TOTAL_WEIGHT = MIX.reduce((sum, entry) => sum + entry.weight, 0);

/** Draws the next request of the mix. */
export function nextRequest(state: MixState, random: () => number = Math.random): PlannedRequest {
  let roll = random() * TOTAL_WEIGHT;
  for (const entry of MIX) {
    roll -= entry.weight;
    if (roll < 0) return entry.plan(state, random);
  }
  return MIX[0]!.plan(state, random);
}
