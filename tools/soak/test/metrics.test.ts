import { describe, expect, it } from 'vitest';
import { parseExposition, snapshotOf } from '../metrics.ts';

const TEXT = `# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 104857600
nodejs_heap_size_used_bytes 2097152
nodejs_heap_size_total_bytes 4194304
nodejs_external_memory_bytes 1048576
nodejs_eventloop_lag_p99_seconds 0.012
periscope_syslog_dropped_total{reason="buffer_full"} 5
periscope_syslog_dropped_total{reason="too_large"} 1
periscope_syslog_dropped_total{reason="unconfirmed"} 3
periscope_log_lines_dropped_total{destination="stdout"} 2
periscope_log_lines_dropped_total{destination="file"} 1
periscope_spans_dropped_total{reason="export_failed"} 7
periscope_propagation_dropped_total{header="traceparent"} 8
periscope_propagation_dropped_total{header="baggage"} 9
http_server_active_requests{http_request_method="GET"} 2
http_server_request_duration_seconds_count{http_request_method="GET",http_route="/a b",http_response_status_code="200"} 10
http_client_request_duration_seconds_count{http_request_method="GET",server_address="x"} 4
soak_synthetic_series{k="k1"} 1
`;

describe('reading /metrics', () => {
  it('parses sample lines with their labels, quoted spaces included', () => {
    const samples = parseExposition(TEXT);
    expect(samples).toHaveLength(17);
    expect(samples.find((s) => s.name === 'http_server_request_duration_seconds_count')?.labels.http_route).toBe('/a b');
  });

  it('keeps memory, event-loop delay, the drop counters (unconfirmed syslog records apart) and request counts, and leaves the synthetic series out of the count', () => {
    const snap = snapshotOf(TEXT, 1);
    expect(snap).toEqual({
      at: 1, series: 16, rssBytes: 104857600, heapUsedBytes: 2097152, heapTotalBytes: 4194304, externalBytes: 1048576, eventLoopP99Seconds: 0.012,
      syslogDropped: 6, syslogUnconfirmed: 3, stdoutDropped: 2, spansDropped: 7, propagationDropped: 17, activeRequests: 2, serverRequests: 10, clientRequests: 4,
    });
  });
});
