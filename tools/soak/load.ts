/**
 * The steady load: a fixed request rate through a fixed mix, the same in every phase, so each
 * phase's throughput and latency compare with the fault-free baseline. Each request carries its
 * own `X-Request-ID`; the load remembers which ones were acknowledged audit writes and which
 * were thrown errors, so the logs can be checked against them line by line.
 */
import { HEADER } from '@periscope/instrument/contract';
import { DEMO_ACCOUNTS } from '@periscope-demo/shared';
import type { SoakService } from './services.ts';

/** One kind of request in the mix. */
export interface RequestKind {
  name: string;
  /** Services the request goes through (a failure while one of them is killed is excused). */
  via: readonly SoakService[];
  method: 'GET' | 'POST';
  /** Base URL's service and path. */
  target: SoakService;
  path: string;
  body?: unknown;
  auth?: boolean;
  /** Statuses that mean it worked. */
  expect: readonly number[];
  /** What an expected answer acknowledges. */
  acknowledges?: 'audit' | 'error';
}

const [ada] = DEMO_ACCOUNTS;

/** The mix, repeated in order: 20 requests, 30 % carrying an audit event (logins, thought creation, the soak app's writes), 20 % a thrown or rejected error. */
export const MIX: readonly RequestKind[] = (() => {
  const list: RequestKind = { name: 'list thoughts', via: ['frontend', 'thoughts'], method: 'GET', target: 'frontend', path: '/api/thoughts?limit=5', expect: [200] };
  const user: RequestKind = { name: 'read user', via: ['frontend', 'users'], method: 'GET', target: 'frontend', path: '/api/users/u1', expect: [200] };
  const login: RequestKind = { name: 'login (audit)', via: ['frontend', 'users'], method: 'POST', target: 'frontend', path: '/api/login', body: { username: ada!.username, password: ada!.password }, expect: [200], acknowledges: 'audit' };
  const badLogin: RequestKind = { ...login, name: 'failed login (audit)', body: { username: ada!.username, password: 'wrong' }, expect: [401] };
  const create: RequestKind = { name: 'create thought (audit)', via: ['frontend', 'thoughts', 'users'], method: 'POST', target: 'frontend', path: '/api/thoughts', body: { text: 'soak' }, auth: true, expect: [201], acknowledges: 'audit' };
  const ok: RequestKind = { name: 'soak ok', via: ['soak-app'], method: 'GET', target: 'soak-app', path: '/ok', expect: [200] };
  const audit: RequestKind = { name: 'soak audit', via: ['soak-app'], method: 'POST', target: 'soak-app', path: '/audit', expect: [200], acknowledges: 'audit' };
  const thrown: RequestKind = { name: 'handler throws', via: ['soak-app'], method: 'GET', target: 'soak-app', path: '/throw', expect: [500], acknowledges: 'error' };
  const rejected: RequestKind = { name: 'handler rejects', via: ['soak-app'], method: 'GET', target: 'soak-app', path: '/reject', expect: [500], acknowledges: 'error' };
  // Logins hash a password (scrypt): two in twenty keeps the users service's CPU within a shared 2-core machine.
  return [list, login, ok, thrown, list, user, audit, rejected, list, create, badLogin, ok, list, thrown, user, audit, list, rejected, create, list];
})();

/** The outcome of one steady request, as the phase records it. */
export interface Outcome {
  kind: RequestKind;
  requestId: string;
  status: number | undefined;
  ms: number;
  ok: boolean;
  /** Why it failed: the status received or the network error. */
  why?: string;
}

/** The running load. */
export interface Load {
  /** Request IDs whose audit write was acknowledged (an expected answer). */
  readonly auditAcked: Set<string>;
  /** Request IDs answered with the expected 500 of a thrown or rejected handler. */
  readonly errorsThrown: Set<string>;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

/** Options of {@link startLoad}. */
export interface LoadOptions {
  urls: Readonly<Record<SoakService, string>>;
  /** Requests per second. */
  rate: number;
  /** Called with each finished request. */
  record: (outcome: Outcome) => void;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
}

/** Logs in as the demo account; the token the create requests carry. */
export async function loginToken(frontendUrl: string): Promise<string> {
  const res = await fetch(`${frontendUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ada!.username, password: ada!.password }),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200) throw new Error(`soak: logging in for a token answered ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** How often {@link keepToken} logs in again: well inside the users service's one-hour token lifetime. */
export const TOKEN_REFRESH_MS = 15 * 60_000;

/** A token kept fresh for a run longer than its lifetime. */
export interface TokenKeeper {
  /** The newest token. */
  current(): string;
  /** Stops refreshing. */
  stop(): void;
}

/**
 * Logs in now and again every `refreshMs`, so requests sent an hour into a run still carry a
 * valid token. A failed refresh (the users service killed by a fault) keeps the previous token
 * and is tried again at the next tick.
 */
export async function keepToken(frontendUrl: string, refreshMs = TOKEN_REFRESH_MS, login = loginToken): Promise<TokenKeeper> {
  let token = await login(frontendUrl);
  const timer = setInterval(() => {
    login(frontendUrl).then((t) => (token = t), () => undefined);
  }, refreshMs);
  timer.unref();
  return { current: () => token, stop: () => clearInterval(timer) };
}

/** Starts the load at `rate` requests per second. */
export function startLoad(options: LoadOptions, token: () => string): Load {
  const { urls, rate, record } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const auditAcked = new Set<string>();
  const errorsThrown = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;

  const send = async (n: number): Promise<void> => {
    const kind = MIX[n % MIX.length]!;
    const requestId = `soak-${n}`;
    const headers: Record<string, string> = { [HEADER.requestId]: requestId };
    if (kind.body !== undefined) headers['content-type'] = 'application/json';
    if (kind.auth) headers.authorization = `Bearer ${token()}`;
    const t0 = performance.now();
    let status: number | undefined;
    let why: string | undefined;
    try {
      const res = await fetch(`${urls[kind.target]}${kind.path}`, {
        method: kind.method,
        headers,
        body: kind.body === undefined ? undefined : JSON.stringify(kind.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch (err) {
      why = (err as Error).cause ? String((err as { cause: unknown }).cause) : (err as Error).message;
    }
    const ms = performance.now() - t0;
    const ok = status !== undefined && kind.expect.includes(status);
    if (ok && kind.acknowledges === 'audit') auditAcked.add(requestId);
    if (ok && kind.acknowledges === 'error') errorsThrown.add(requestId);
    record({ kind, requestId, status, ms, ok, ...(ok ? {} : { why: why ?? `status ${status}` }) });
  };

  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (sent < due) {
      const p = send(sent++);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  }, 20);

  return {
    auditAcked,
    errorsThrown,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
