/**
 * deploy/tempo/tempo.yaml against the Tempo 2.x configuration reference and manifest
 * (https://grafana.com/docs/tempo/latest/configuration/,
 * https://grafana.com/docs/tempo/latest/configuration/manifest/).
 */
import { describe, expect, it } from 'vitest';
import { at, durationHours, unknownKeys } from './helpers/documented-keys.ts';
import type { KeySchema } from './helpers/documented-keys.ts';
import { hostPort, readYaml } from './helpers/repo.ts';

const TEMPO_KEYS: KeySchema = {
  target: true,
  stream_over_http_enabled: true,
  server: { http_listen_port: true, grpc_listen_port: true, log_level: true, log_format: true },
  distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: true }, http: { endpoint: true } } } } },
  ingester: { max_block_duration: true, trace_idle_period: true },
  compactor: { compaction: { block_retention: true } },
  storage: { trace: { backend: true, wal: { path: true }, local: { path: true } } },
  metrics_generator: {
    registry: { external_labels: true },
    storage: { path: true, remote_write: [{ url: true, send_exemplars: true }] },
    traces_storage: { path: true },
  },
  overrides: { defaults: { metrics_generator: { processors: true } } },
  usage_report: { reporting_enabled: true },
};

const tempo = readYaml('deploy/tempo/tempo.yaml');

describe('deploy/tempo/tempo.yaml', () => {
  it('uses only documented keys', () => {
    expect(unknownKeys(tempo, TEMPO_KEYS)).toEqual([]);
  });

  it('stores traces on local disk with a WAL, for a bounded time', () => {
    expect(at(tempo, 'storage.trace.backend')).toBe('local');
    expect(String(at(tempo, 'storage.trace.wal.path'))).toMatch(/^\/var\/tempo\//);
    expect(String(at(tempo, 'storage.trace.local.path'))).toMatch(/^\/var\/tempo\//);
    expect(durationHours(String(at(tempo, 'compactor.compaction.block_retention')))).toBeGreaterThanOrEqual(24);
  });

  it('receives OTLP on every interface: gRPC 4317 and HTTP 4318', () => {
    expect(hostPort(String(at(tempo, 'distributor.receivers.otlp.protocols.grpc.endpoint')))).toEqual({ host: '0.0.0.0', port: 4317 });
    expect(hostPort(String(at(tempo, 'distributor.receivers.otlp.protocols.http.endpoint')))).toEqual({ host: '0.0.0.0', port: 4318 });
  });

  it('serves queries on 3200, the port of the Grafana datasource', () => {
    expect(at(tempo, 'server.http_listen_port')).toBe(3200);
  });

  it('turns on only documented metrics-generator processors', () => {
    const processors = at(tempo, 'overrides.defaults.metrics_generator.processors') as string[] | undefined;
    for (const p of processors ?? []) expect(['service-graphs', 'span-metrics', 'local-blocks']).toContain(p);
  });
});
