/**
 * Which errors are exceptions. An error that asks for a 4xx answer — it carries a `status` or
 * `statusCode` from 400 to 499: the app's own `HttpError(404)`, http-errors' `NotFound`, a body
 * parser's 400 — is the service doing its job (a bad signature is refused, a missing thought is
 * not found). It is logged, but not counted in `periscope_exceptions_total`, fingerprinted or
 * marked `first_seen`. A 5xx, an error without a status and anything thrown that is not an
 * object are unexpected: exceptions.
 */
import { statusOf } from '../http/final-handler.js';

/** True for an error that carries a 4xx status (the one rule the final handler answers with too). */
export function isExpectedError(err: unknown): boolean {
  return statusOf(err) < 500;
}
