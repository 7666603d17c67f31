/**
 * Private shapes shared between the package's modules. Never re-exported from index.ts.
 */

/** Trace correlation fields as they appear on a log line. */
export interface TraceFields {
  readonly trace_id: string;
  readonly span_id: string;
  readonly trace_flags: string;
}

/** What Periscope knows about one inbound request while it is handled. */
export interface RequestState {
  /** The request ID (caller's or generated). */
  readonly id: string;
  /** `process.hrtime.bigint()` when the request arrived. */
  readonly start: bigint;
  /** Normalized method (`GET`, …, or `_OTHER`). */
  readonly method: string;
  /** Route template of the route that is handling the request, when one matched. */
  route: string | undefined;
  /** Path patterns of the routers and sub-apps the request is inside, outermost first. */
  readonly mounts: string[];
  /** The first error a handler threw, rejected with or passed to `next(err)`. */
  error: unknown;
  /** Trace fields of the request's server span, when tracing is on. */
  trace: TraceFields | undefined;
  /** The app's outbound-call recorder (tracing), so calls made for this request are attributed to it. */
  outbound: unknown;
  /** Set once the request has been recorded (finish or abort); later events are ignored. */
  ended: boolean;
  /**
   * `process.hrtime.bigint()` when the app ended its response (`res.end()`): the end of the
   * request's duration and span. The response's events come later — 'prefinish' and 'finish' wait
   * for an earlier response on a keep-alive connection to finish, 'close' for the write — on a
   * busy event loop by milliseconds, after the caller has its answer and has ended its own span.
   */
  end: bigint | undefined;
}
