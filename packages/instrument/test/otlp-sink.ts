/**
 * An OTLP/HTTP sink for the export tests: a real server on port 0 that keeps every request's
 * content type and body, and a small reader of the protobuf wire format that decodes an
 * `ExportTraceServiceRequest` into the spans' ids, names and kinds (field numbers from
 * opentelemetry/proto/trace/v1/trace.proto), so the tests depend on no protobuf library.
 */
import { listen } from './helpers.js';

/** One request the sink received. */
export interface Received {
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

/** Starts a sink answering 200 `{}` to every POST; `received` fills as requests arrive. */
export async function otlpSink(): Promise<{ base: string; received: Received[] }> {
  const received: Received[] = [];
  const { base } = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
      const protobuf = req.headers['content-type'] === 'application/x-protobuf';
      res.writeHead(200, { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json' });
      res.end(protobuf ? Buffer.alloc(0) : '{}');
    });
  });
  return { base, received };
}

type Fields = Map<number, (bigint | Buffer)[]>;

/** The fields of one message: varints as bigint, length-delimited values as bytes (fixed sizes skipped). */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (pos < buf.length) {
    const tag = Number(varint());
    const [field, wire] = [tag >> 3, tag & 7];
    let value: bigint | Buffer | undefined;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const length = Number(varint());
      value = buf.subarray(pos, pos + length);
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unexpected wire type ${wire}`);
    if (value !== undefined) out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const bytes = (f: Fields, n: number): Buffer[] => (f.get(n) ?? []) as Buffer[];

/** A span as both encodings can be compared: ids in hex, the name, the kind (OTLP's numbering). */
export interface SpanIds {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  service: string | undefined;
}

/** Decodes an `ExportTraceServiceRequest` in protobuf. */
export function decodeProtobufSpans(body: Buffer): SpanIds[] {
  return bytes(fields(body), 1).flatMap((rs) => {
    const resourceSpans = fields(rs);
    const resource = bytes(resourceSpans, 1)[0];
    const service = resource === undefined ? undefined : bytes(fields(resource), 1).map(fields).find((kv) => bytes(kv, 1)[0]?.toString() === 'service.name');
    const serviceName = service === undefined ? undefined : bytes(fields(bytes(service, 2)[0]!), 1)[0]?.toString();
    return bytes(resourceSpans, 2).flatMap((ss) =>
      bytes(fields(ss), 2).map((raw) => {
        const span = fields(raw);
        const parent = bytes(span, 4)[0];
        return {
          traceId: bytes(span, 1)[0]!.toString('hex'),
          spanId: bytes(span, 2)[0]!.toString('hex'),
          parentSpanId: parent === undefined || parent.length === 0 ? undefined : parent.toString('hex'),
          name: bytes(span, 5)[0]!.toString(),
          kind: Number((span.get(6) ?? [0n])[0]),
          service: serviceName,
        };
      }),
    );
  });
}

/** The same of an `ExportTraceServiceRequest` in OTLP JSON (ids in hex, as OTLP JSON has them). */
export function decodeJsonSpans(body: Buffer): SpanIds[] {
  const request = JSON.parse(body.toString()) as { resourceSpans: { resource?: { attributes?: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: Record<string, any>[] }[] }[] };
  return request.resourceSpans.flatMap((rs) => {
    const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue;
    return rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, kind: s.kind, service })),
    );
  });
}
