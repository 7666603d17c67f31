/**
 * Client errors as JSON: every 4xx the demo services send has a body `{ error, request_id }`, so a
 * user can quote the request ID. Bad input never becomes a 500.
 */
import type { NextFunction, Request, Response } from 'express';
import { currentRequestId } from '@periscope/instrument';

/** An error with the HTTP status to answer with. Thrown by handlers, turned into JSON by {@link errorHandler}. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** The request ID of the request being answered. */
export function requestIdOf(res: Response): string | undefined {
  const fromLocals = (res.locals as { requestId?: unknown }).requestId;
  return typeof fromLocals === 'string' ? fromLocals : currentRequestId();
}

/** Answers `status` with `{ error: message, request_id }`. */
export function sendError(res: Response, status: number, message: string): void {
  res.status(status).json({ error: message, request_id: requestIdOf(res) });
}

/** Final route: anything no route matched is a JSON 404. */
export function notFound(req: Request, res: Response): void {
  sendError(res, 404, `no route for ${req.method} ${req.path}`);
}

/** Messages of body-parser's client errors, by its `type`. */
const BODY_ERRORS: Readonly<Record<string, string>> = Object.freeze({
  'entity.parse.failed': 'malformed JSON body',
  'entity.too.large': 'request body too large',
  'encoding.unsupported': 'unsupported body encoding',
  'charset.unsupported': 'unsupported body charset',
  'request.aborted': 'request aborted',
  'request.size.invalid': 'request size did not match Content-Length',
});

/**
 * Error middleware: `HttpError`s and body-parser's 4xx errors become JSON with the request ID.
 * Anything else is passed on, so the instrumentation records it and answers 500.
 */
export function errorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  if (err instanceof HttpError) {
    res.set(err.headers);
    return sendError(res, err.status, err.message);
  }
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = String((err as { type?: unknown }).type ?? '');
    return sendError(res, status, BODY_ERRORS[type] ?? (err as Error).message ?? 'bad request');
  }
  next(err);
}
