/**
 * The demo's seeded accounts. Passwords are public on purpose: this is a demo, and loadgen logs in
 * with them. The users service stores only scrypt hashes of them.
 */

/** One seeded account. */
export interface DemoAccount {
  id: string;
  username: string;
  name: string;
  password: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = Object.freeze([
  { id: 'u1', username: 'ada', name: 'Ada Lovelace', password: 'analytical-engine' },
  { id: 'u2', username: 'grace', name: 'Grace Hopper', password: 'first-compiler' },
  { id: 'u3', username: 'alan', name: 'Alan Turing', password: 'imitation-game' },
  { id: 'u4', username: 'barbara', name: 'Barbara Liskov', password: 'substitution' },
  { id: 'u5', username: 'edsger', name: 'Edsger Dijkstra', password: 'shortest-path' },
  { id: 'u6', username: 'margaret', name: 'Margaret Hamilton', password: 'apollo-guidance' },
]);
