/**
 * The app's last handler when nothing else answered: a JSON body with the request ID, for
 * unmatched requests (404) and for errors no error handler of the app dealt with.
 */
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestState } from '../internal-types.js';
import { recordError } from './route-tracking.js';

/** The HTTP status an error asks for (`status` or `statusCode` from 400 to 599), else 500. */
export function statusOf(err: unknown): number {
  if (err !== null && typeof err === 'object') {
    const e = err as { status?: unknown; statusCode?: unknown };
    const s = typeof e.status === 'number' ? e.status : e.statusCode;
    if (typeof s === 'number' && Number.isInteger(s) && s >= 400 && s <= 599) return s;
  }
  return 500;
}

/**
 * An expected client error: the error itself asks for the 4xx status the response has (a
 * validation error with `status: 400`, http-errors' `NotFound`). Its log line needs no stack;
 * anything else that ended a request (a 5xx, an error without a status) is unexpected.
 */
export function isExpectedClientError(err: unknown, responseStatus: number): boolean {
  const s = statusOf(err);
  return s < 500 && s === responseStatus;
}

/** Whether an error's message may be shown to the client (http-errors' `expose`, set for 4xx). */
function exposedMessage(err: unknown, status: number): string | undefined {
  if (status >= 500 || err === null || typeof err !== 'object') return undefined;
  const e = err as { expose?: unknown; message?: unknown };
  return e.expose === true && typeof e.message === 'string' ? e.message : undefined;
}

/** Builds the final callback of `app.handle` for one request. */
export function finalHandler(state: RequestState, req: IncomingMessage, res: ServerResponse): (err?: unknown) => void {
  return (err?: unknown) => {
    const failed = err !== undefined && err !== null;
    if (failed) recordError(state, err);
    if (res.headersSent || res.writableEnded) {
      // Part of the response is out: the only honest signal left is to cut the connection.
      if (failed) req.socket?.destroy();
      return;
    }
    const status = failed ? statusOf(err) : 404;
    const message = failed ? exposedMessage(err, status) : undefined;
    const body = JSON.stringify({ error: STATUS_CODES[status] ?? 'Error', ...(message ? { message } : {}), request_id: state.id });
    for (const name of res.getHeaderNames()) if (name.startsWith('content-')) res.removeHeader(name);
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
