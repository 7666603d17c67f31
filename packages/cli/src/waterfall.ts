/**
 * Renders a trace as a text waterfall: one row per span (indented under its parent), its
 * service, start offset, duration and status, a bar on the trace's time line, and the log lines
 * written under that span.
 */
import { LOG_KEY } from '@periscope/instrument/contract';
import { field } from './log-files.js';
import type { LogRecord } from './log-files.js';
import { logLine } from './log-line.js';
import type { SpanRecord } from './span-files.js';
import { cellsOf, drawBar } from './timeline.js';
import type { Cells, Timeline } from './timeline.js';

const BAR_WIDTH = 32;
const NAME_WIDTH = 48;
const KIND = ['', 'internal', 'server', 'client', 'producer', 'consumer'];
const CLIENT = 3;

function ms(ns: bigint): string {
  return `${(Number(ns) / 1e6).toFixed(1)} ms`;
}

function statusOf(span: SpanRecord): string {
  const code = span.attributes['http.response.status_code'];
  const err = span.statusCode === 2 ? ' ERROR' : '';
  if (code !== undefined) return `${code}${err}`;
  const errType = span.attributes['error.type'];
  return errType !== undefined ? `${errType}${err}` : err.trim() || 'ok';
}

/**
 * Where a client span went: `server.address[:server.port]` (OpenTelemetry's HTTP client
 * attributes), else the host of `url.full`; undefined for other spans or when neither is set.
 */
export function targetOf(span: SpanRecord): string | undefined {
  if (span.kind !== CLIENT) return undefined;
  const address = span.attributes['server.address'];
  if (address !== undefined && address !== '') {
    const port = span.attributes['server.port'];
    return port !== undefined && port !== '' ? `${address}:${port}` : String(address);
  }
  const url = span.attributes['url.full'];
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

/** The span's label: name, kind and, for a client span, its target. */
function labelOf(span: SpanRecord): string {
  const kind = KIND[span.kind];
  const target = targetOf(span);
  return `${span.name}${kind ? ` [${kind}]` : ''}${target ? ` → ${target}` : ''}`;
}

/** Renders every trace in `spans` with its logs. */
export function renderTraces(spans: readonly SpanRecord[], logs: readonly LogRecord[], requestId: string | undefined): string {
  const byTrace = new Map<string, SpanRecord[]>();
  for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  const out: string[] = [];
  for (const [traceId, list] of byTrace) {
    const unique = [...new Map(list.map((s) => [s.spanId, s])).values()].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
    const ids = new Set(unique.map((s) => s.spanId));
    const children = new Map<string | undefined, SpanRecord[]>();
    for (const s of unique) {
      const parent = s.parentSpanId !== undefined && ids.has(s.parentSpanId) ? s.parentSpanId : undefined;
      children.set(parent, [...(children.get(parent) ?? []), s]);
    }
    const t0 = unique[0]!.startNs;
    const end = unique.reduce((m, s) => (s.endNs > m ? s.endNs : m), t0);
    const line: Timeline = { t0, total: end - t0, width: BAR_WIDTH };
    const services = new Set(unique.map((s) => s.service));
    const traceLogs = logs.filter((l) => {
      const t = field(l, LOG_KEY.traceId);
      return t === traceId || (t === undefined && requestId !== undefined && field(l, LOG_KEY.requestId) === requestId);
    });
    const logsBySpan = new Map<string, LogRecord[]>();
    const loose: LogRecord[] = [];
    for (const l of traceLogs) {
      const spanId = field(l, LOG_KEY.spanId);
      if (spanId !== undefined && ids.has(spanId)) logsBySpan.set(spanId, [...(logsBySpan.get(spanId) ?? []), l]);
      else loose.push(l);
    }
    const reqIds = [...new Set(traceLogs.map((l) => field(l, LOG_KEY.requestId)).filter((x): x is string => x !== undefined))];
    out.push(
      `trace ${traceId}${reqIds.length ? `  request ${reqIds.join(', ')}` : ''}`,
      `${unique.length} span${unique.length === 1 ? '' : 's'} across ${services.size} service${services.size === 1 ? '' : 's'} (${[...services].join(', ')}), ${ms(end - t0)}`,
      '',
      `${'SERVICE'.padEnd(12)} ${'SPAN'.padEnd(NAME_WIDTH)} ${'START'.padStart(10)} ${'DURATION'.padStart(10)}  ${'STATUS'.padEnd(10)} TIMELINE`,
    );
    const walk = (parent: string | undefined, parentCells: Cells | undefined, depth: number) => {
      for (const s of children.get(parent) ?? []) {
        const cells = cellsOf(s.startNs, s.endNs, line, parentCells);
        const name = `${'  '.repeat(depth)}${labelOf(s)}`;
        out.push(`${s.service.padEnd(12)} ${name.padEnd(NAME_WIDTH)} ${`+${ms(s.startNs - t0)}`.padStart(10)} ${ms(s.endNs - s.startNs).padStart(10)}  ${statusOf(s).padEnd(10)} |${drawBar(cells, BAR_WIDTH)}|`);
        for (const l of logsBySpan.get(s.spanId) ?? []) out.push(`${''.padEnd(12)} ${'  '.repeat(depth + 1)}· ${logLine(l)}`);
        walk(s.spanId, cells, depth + 1);
      }
    };
    walk(undefined, undefined, 0);
    if (loose.length > 0) {
      out.push('', 'log lines of this trace not under a recorded span:');
      for (const l of loose) out.push(`  ${String(l[LOG_KEY.service] ?? '?').padEnd(12)} ${logLine(l)}`);
    }
    out.push('');
  }
  return out.join('\n');
}
