/**
 * deploy/loki/loki.yaml against the Loki 3.x configuration reference
 * (https://grafana.com/docs/loki/latest/configure/) and the retention guide
 * (https://grafana.com/docs/loki/latest/operations/storage/retention/).
 */
import { describe, expect, it } from 'vitest';
import { LOG_KEY } from '@periscope/instrument/contract';
import { syntaxErrors } from '../grafana/src/check/syntax.ts';
import { at, durationHours, unknownKeys } from './helpers/documented-keys.ts';
import type { KeySchema } from './helpers/documented-keys.ts';
import { readYaml } from './helpers/repo.ts';

/** The sections and keys this config uses, as the configuration reference lists them. */
const LOKI_KEYS: KeySchema = {
  target: true,
  auth_enabled: true,
  server: { http_listen_port: true, grpc_listen_port: true, http_listen_address: true, grpc_listen_address: true, log_level: true, log_format: true },
  common: {
    instance_addr: true,
    path_prefix: true,
    replication_factor: true,
    ring: { kvstore: { store: true } },
    storage: { filesystem: { chunks_directory: true, rules_directory: true } },
  },
  schema_config: { configs: [{ from: true, store: true, object_store: true, schema: true, index: { prefix: true, period: true } }] },
  limits_config: {
    allow_structured_metadata: true,
    volume_enabled: true,
    retention_period: true,
    retention_stream: [{ selector: true, priority: true, period: true }],
    reject_old_samples: true,
    reject_old_samples_max_age: true,
    max_query_lookback: true,
  },
  compactor: {
    working_directory: true,
    compaction_interval: true,
    retention_enabled: true,
    retention_delete_delay: true,
    retention_delete_worker_count: true,
    delete_request_store: true,
  },
  query_range: { results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: true } } } },
  analytics: { reporting_enabled: true },
};

const loki = readYaml('deploy/loki/loki.yaml');

describe('deploy/loki/loki.yaml', () => {
  it('uses only documented keys', () => {
    expect(unknownKeys(loki, LOKI_KEYS)).toEqual([]);
  });

  it('runs the single binary on TSDB, schema v13, the local filesystem, a 24h index', () => {
    const configs = at(loki, 'schema_config.configs') as Record<string, unknown>[];
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({ store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { period: '24h' } });
    expect(at(loki, 'common.replication_factor')).toBe(1);
    expect(at(loki, 'common.ring.kvstore.store')).toBe('inmemory');
    expect(loki.target ?? 'all').toBe('all');
  });

  it('deletes old logs: compactor retention on, with a retention period of at least a day', () => {
    expect(at(loki, 'compactor.retention_enabled')).toBe(true);
    expect(at(loki, 'compactor.delete_request_store')).toBe('filesystem');
    expect(durationHours(String(at(loki, 'limits_config.retention_period')))).toBeGreaterThanOrEqual(24);
  });

  it('keeps the audit stream longer than everything else, selected by the log_type label', () => {
    const streams = at(loki, 'limits_config.retention_stream') as { selector: string; period: string }[];
    const audit = streams.find((s) => s.selector === `{${LOG_KEY.logType}="audit"}`);
    expect(audit).toBeDefined();
    expect(syntaxErrors('logql', audit!.selector)).toEqual([]);
    expect(durationHours(audit!.period)).toBeGreaterThan(durationHours(String(at(loki, 'limits_config.retention_period'))));
  });

  it('accepts structured metadata, where request_id and trace_id go', () => {
    expect(at(loki, 'limits_config.allow_structured_metadata')).toBe(true);
  });

  it('listens on 3100, the port Grafana and Alloy use', () => {
    expect(at(loki, 'server.http_listen_port')).toBe(3100);
  });
});
