/**
 * The access line: one per request, written when it ends (or is aborted), with the level chosen
 * by the outcome (5xx `error`, 4xx or aborted `warn`, otherwise `info`).
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { ACCESS_MESSAGE } from '../core/names.js';
import { redactQuery } from '../logging/redaction.js';
import type { RequestState } from '../internal-types.js';
import { isExpectedClientError } from './final-handler.js';

/** Longest logged request target and user agent; longer values are cut and marked. */
export const MAX_LOGGED_PATH = 2048;
export const MAX_LOGGED_USER_AGENT = 512;

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max)}...[truncated ${value.length - max} chars]`;
}

function withoutStack(err: unknown): unknown {
  if (err === null || typeof err !== 'object') return err;
  const { stack: _stack, ...rest } = err as { stack?: unknown };
  return rest;
}

/** How a request ended. */
export interface RequestOutcome {
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
  readonly aborted: boolean;
}

/** The log level for an outcome. */
export function levelFor(outcome: Pick<RequestOutcome, 'status' | 'aborted'>): 'error' | 'warn' | 'info' {
  if (outcome.status >= 500) return 'error';
  if (outcome.aborted || outcome.status >= 400) return 'warn';
  return 'info';
}

/**
 * Writes the access line of a request. Fields are passed explicitly: the line may be written
 * outside the request's async context. A handler error is always handed to `describeError` (it
 * is captured there), but the line is built only when its level is enabled.
 */
export function logAccess(
  logger: Logger,
  state: RequestState,
  req: IncomingMessage,
  outcome: RequestOutcome,
  secretParams: ReadonlySet<string>,
  describeError: (err: unknown) => unknown = (err) => err,
): void {
  const level = levelFor(outcome);
  const err = state.error === undefined ? undefined : describeError(state.error);
  // A caller's pino-like logger may lack isLevelEnabled (options ask only for info() and child()).
  if (typeof logger.isLevelEnabled === 'function' && !logger.isLevelEnabled(level)) return;
  const target = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const ua = req.headers['user-agent'];
  const line: Record<string, unknown> = {
    request_id: state.id,
    ...state.trace,
    http: {
      method: req.method,
      route: outcome.route,
      path: cut(redactQuery(target, secretParams), MAX_LOGGED_PATH),
      status_code: outcome.status,
    },
    duration_ms: Math.round(outcome.seconds * 1e6) / 1e3,
    client_address: req.socket?.remoteAddress,
    user_agent: typeof ua === 'string' ? cut(ua, MAX_LOGGED_USER_AGENT) : undefined,
  };
  if (outcome.aborted) line.aborted = true;
  if (state.error !== undefined) {
    // An expected 4xx (validation, not found) is logged without its stack: only the unexpected need one.
    line.err = isExpectedClientError(state.error, outcome.status) ? withoutStack(err) : err;
  }
  logger[level](line, ACCESS_MESSAGE);
}
