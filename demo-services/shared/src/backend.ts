/**
 * Calls from one demo service to another: JSON over global `fetch` with a timeout. The
 * instrumentation propagates request IDs and trace context on these calls by itself.
 */
import { HttpError } from './http-errors.ts';

/** The answer of a backend: its status and parsed JSON body (or `null` when it had none). */
export interface BackendResponse {
  status: number;
  body: unknown;
}

/** Options of {@link callBackend}. */
export interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Give up after this many milliseconds (answered as 504). Default 5000. */
  timeoutMs?: number;
}

/**
 * Calls `base + path` on the backend called `name`. Network failures become `HttpError` 502 and
 * timeouts 504, both naming the backend; any HTTP status is returned as is for the caller to relay.
 */
export async function callBackend(name: string, base: string, path: string, options: CallOptions = {}): Promise<BackendResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(base + path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new HttpError(timedOut ? 504 : 502, `${name} ${timedOut ? 'did not answer in time' : 'is unavailable'}`);
  }
  const text = await response.text();
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(502, `${name} answered ${response.status} with a body that is not JSON`);
    }
  }
  return { status: response.status, body };
}

/** The `error` string of a JSON error body, or `fallback`. */
export function errorText(body: unknown, fallback: string): string {
  const error = (body as { error?: unknown } | null)?.error;
  return typeof error === 'string' ? error : fallback;
}
