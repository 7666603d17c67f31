import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyText, writeHistory } from '../e2e/history.ts';

describe('backfilled request history for the end-to-end test', () => {
  it('writes one family per sample name, each series rising at its rate, in time order, ending with # EOF', () => {
    const text = historyText({ rates: { users: 2 }, buckets: { users: [0.25] }, seconds: 120, step: 60, end: 1_000_000 });
    expect(text.split('\n')).toEqual([
      '# TYPE http_server_request_duration_seconds_count unknown',
      'http_server_request_duration_seconds_count{job="users",instance="history",http_request_method="GET",http_route="/",http_response_status_code="200"} 0 999880',
      'http_server_request_duration_seconds_count{job="users",instance="history",http_request_method="GET",http_route="/",http_response_status_code="200"} 120 999940',
      'http_server_request_duration_seconds_count{job="users",instance="history",http_request_method="GET",http_route="/",http_response_status_code="200"} 240 1000000',
      '# TYPE http_server_request_duration_seconds_bucket unknown',
      'http_server_request_duration_seconds_bucket{job="users",instance="history",http_request_method="GET",http_route="/",http_response_status_code="200",le="0.25"} 0 999880',
      'http_server_request_duration_seconds_bucket{job="users",instance="history",http_request_method="GET",http_route="/",http_response_status_code="200",le="0.25"} 120 999940',
      'http_server_request_duration_seconds_bucket{job="users",instance="history",http_request_method="GET",http_route="/",http_response_status_code="200",le="0.25"} 240 1000000',
      '# EOF',
      '',
    ]);
  });

  it('refuses a rate that is not a positive number, naming the job', () => {
    expect(() => historyText({ rates: { users: 0 }, buckets: {} })).toThrow('historyText: rate of users must be a positive number of requests per second, got 0');
  });

  it('turns the history into TSDB blocks that promtool writes into the data folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'periscope-history-test-'));
    try {
      await writeHistory({ dataDir: join(dir, 'data'), rates: { users: 1 }, buckets: { users: [0.25] }, seconds: 6 * 3600 });
      expect(readdirSync(join(dir, 'data')).filter((name) => /^[0-9A-Z]{26}$/.test(name)).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
