/**
 * Renders a trace as a text waterfall: one row per span (indented under its parent), its
 * service, start offset, duration and status, a bar on the trace's time line, and the log lines
 * written under that span.
 */
import type { LogRecord } from './log-files.js';
import type { SpanRecord } from './span-files.js';

const BAR_WIDTH = 32;
const KIND = ['', 'internal', 'server', 'client', 'producer', 'consumer'];

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

function bar(span: SpanRecord, t0: bigint, total: bigint): string {
  const scale = total > 0n ? BAR_WIDTH / Number(total) : 0;
  const from = Math.min(BAR_WIDTH - 1, Math.floor(Number(span.startNs - t0) * scale));
  const width = Math.max(1, Math.round(Number(span.endNs - span.startNs) * scale));
  return `${' '.repeat(from)}${'█'.repeat(Math.min(width, BAR_WIDTH - from))}`.padEnd(BAR_WIDTH);
}

function logLine(record: LogRecord): string {
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const http = record.http as { method?: string; route?: string; status_code?: number } | undefined;
  const err = record.err as { type?: string; message?: string } | undefined;
  const extra = [
    http ? `${http.method ?? ''} ${http.route ?? ''} → ${http.status_code ?? ''}` : '',
    typeof record.duration_ms === 'number' ? `${record.duration_ms} ms` : '',
    err ? `${err.type ?? 'Error'}: ${err.message ?? ''}` : '',
  ].filter(Boolean).join('  ');
  return `${time} ${String(record.level ?? '').padEnd(5)} ${record.msg ?? ''}${extra ? `  (${extra})` : ''}`;
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
    const services = new Set(unique.map((s) => s.service));
    const traceLogs = logs.filter((l) => l.trace_id === traceId || (l.trace_id === undefined && requestId !== undefined && l.request_id === requestId));
    const logsBySpan = new Map<string, LogRecord[]>();
    const loose: LogRecord[] = [];
    for (const l of traceLogs) {
      if (typeof l.span_id === 'string' && ids.has(l.span_id)) logsBySpan.set(l.span_id, [...(logsBySpan.get(l.span_id) ?? []), l]);
      else loose.push(l);
    }
    const reqIds = [...new Set(traceLogs.map((l) => l.request_id).filter((x): x is string => typeof x === 'string'))];
    out.push(
      `trace ${traceId}${reqIds.length ? `  request ${reqIds.join(', ')}` : ''}`,
      `${unique.length} spans across ${services.size} service${services.size === 1 ? '' : 's'} (${[...services].join(', ')}), ${ms(end - t0)}`,
      '',
      `${'SERVICE'.padEnd(12)} ${'SPAN'.padEnd(40)} ${'START'.padStart(10)} ${'DURATION'.padStart(10)}  ${'STATUS'.padEnd(10)} TIMELINE`,
    );
    const walk = (parent: string | undefined, depth: number) => {
      for (const s of children.get(parent) ?? []) {
        const name = `${'  '.repeat(depth)}${s.name}${KIND[s.kind] ? ` [${KIND[s.kind]}]` : ''}`;
        out.push(`${s.service.padEnd(12)} ${name.padEnd(40)} ${`+${ms(s.startNs - t0)}`.padStart(10)} ${ms(s.endNs - s.startNs).padStart(10)}  ${statusOf(s).padEnd(10)} |${bar(s, t0, end - t0)}|`);
        for (const l of logsBySpan.get(s.spanId) ?? []) out.push(`${''.padEnd(12)} ${'  '.repeat(depth + 1)}· ${logLine(l)}`);
        walk(s.spanId, depth + 1);
      }
    };
    walk(undefined, 0);
    if (loose.length > 0) {
      out.push('', 'log lines of this trace not under a recorded span:');
      for (const l of loose) out.push(`  ${String(l.service ?? '?').padEnd(12)} ${logLine(l)}`);
    }
    out.push('');
  }
  return out.join('\n');
}
