/**
 * What `instrument()` accepts as an app: an Express 4 or 5 application, instrumented once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ALREADY_INSTRUMENTED, appTypeError } from '../core/errors.js';

/** Express's final callback of `app.handle`. */
export type Callback = (err?: unknown) => void;
/** `app.handle`, the entry point every request goes through on Express 4 and 5. */
export type Handle = (req: IncomingMessage, res: ServerResponse, callback?: Callback) => unknown;

/** The part of an Express app Periscope relies on. */
export interface ExpressLike {
  handle: Handle;
  use: unknown;
  set: unknown;
  [key: string | symbol]: unknown;
}

const INSTRUMENTED = Symbol.for('periscope.instrumented');

function isExpressApp(app: unknown): app is ExpressLike {
  if (typeof app !== 'function') return false;
  const a = app as unknown as Record<string, unknown>;
  return typeof a.handle === 'function' && typeof a.use === 'function' && typeof a.set === 'function';
}

/**
 * Checks that `app` is an Express app not instrumented yet.
 * @throws TypeError (code `PERISCOPE_INVALID_APP`) when it is not an Express app; Error (code
 *   `PERISCOPE_ALREADY_INSTRUMENTED`) when `instrument()` was called on it before.
 */
export function expressAppOf(app: unknown): ExpressLike {
  if (!isExpressApp(app)) throw appTypeError(app);
  if (app[INSTRUMENTED]) {
    throw Object.assign(new Error('instrument(app): this app is instrumented already; call instrument() once per app'), {
      code: ALREADY_INSTRUMENTED,
    });
  }
  return app;
}

/** Marks `app` instrumented (once its options are known to be valid, so a corrected call can follow a refused one). */
export function markInstrumented(app: ExpressLike): void {
  app[INSTRUMENTED] = true;
}
