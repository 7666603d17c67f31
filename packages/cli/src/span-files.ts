/**
 * Reads spans from OTLP JSON lines files (one `ExportTraceServiceRequest` per line), keeping only
 * the lines that can contain what is looked for, so large files are scanned quickly.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { SPAN_ATTRIBUTE } from '@periscope/instrument/contract';

/** A span as the trace view needs it. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  service: string;
  startNs: bigint;
  endNs: bigint;
  /** 0 unset, 1 ok, 2 error (OTLP status codes). */
  statusCode: number;
  attributes: Record<string, string | number | boolean>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  status?: { code?: number };
  attributes?: { key: string; value: OtlpValue }[];
}
/** One line of a span file: an OTLP `ExportTraceServiceRequest` in its JSON encoding. */
export interface OtlpRequest {
  resourceSpans?: { resource?: { attributes?: { key: string; value: OtlpValue }[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

function valueOf(v: OtlpValue): string | number | boolean {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return '';
}

function attributesOf(list: { key: string; value: OtlpValue }[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const a of list ?? []) out[a.key] = valueOf(a.value);
  return out;
}

/** Converts one parsed OTLP request into span records. */
export function spansOf(request: OtlpRequest): SpanRecord[] {
  const out: SpanRecord[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? 'unknown');
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || undefined,
          name: s.name,
          kind: s.kind ?? 0,
          service,
          startNs: BigInt(s.startTimeUnixNano),
          endNs: BigInt(s.endTimeUnixNano),
          statusCode: s.status?.code ?? 0,
          attributes: attributesOf(s.attributes),
        });
      }
    }
  }
  return out;
}

/** What to look for: trace IDs, or the request ID on server spans. */
export interface SpanQuery {
  traceIds: ReadonlySet<string>;
  requestId?: string;
}

/**
 * Streams `file` and returns the spans of the queried traces, plus the trace IDs of spans that
 * carry the queried request ID. Unparsable lines are counted in `badLines`, not fatal.
 */
export async function readSpans(file: string, query: SpanQuery): Promise<{ spans: SpanRecord[]; traceIds: Set<string>; badLines: number }> {
  const spans: SpanRecord[] = [];
  const traceIds = new Set<string>();
  let badLines = 0;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    let relevant = query.requestId !== undefined && line.includes(query.requestId);
    if (!relevant) for (const id of query.traceIds) if (line.includes(id)) relevant = true;
    if (!relevant) continue;
    let parsed: SpanRecord[];
    try {
      parsed = spansOf(JSON.parse(line) as OtlpRequest);
    } catch {
      // Not JSON, or a span whose times are not integers.
      badLines++;
      continue;
    }
    for (const span of parsed) {
      if (query.requestId !== undefined && span.attributes[SPAN_ATTRIBUTE.requestId] === query.requestId) traceIds.add(span.traceId);
      if (query.traceIds.has(span.traceId) || traceIds.has(span.traceId)) spans.push(span);
    }
  }
  return { spans, traceIds, badLines };
}
