import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DATASOURCE } from '../src/adapter/datasources.ts';
import { allPanels } from '../src/check/extract.ts';
import { dashboards } from './helpers.ts';

interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  jsonData: Record<string, unknown>;
}

const read = (path: string) => parse(readFileSync(new URL(`../provisioning/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const datasources = (read('datasources/periscope.yml').datasources as Datasource[]);
const byUid = new Map(datasources.map((d) => [d.uid, d]));
const providers = read('dashboards/periscope.yml').providers as { folder: string; type: string; options: { path: string } }[];

/** Every `datasourceUid` anywhere under `value`. */
function referencedUids(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedUids);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (k === 'datasourceUid' && typeof v === 'string' ? [v] : referencedUids(v)));
  }
  return [];
}

describe('datasource provisioning', () => {
  it('gives Prometheus, Loki and Tempo the fixed uids the dashboards use, at the compose service URLs', () => {
    expect(datasources.map((d) => [d.uid, d.type, d.url])).toEqual([
      [DATASOURCE.prometheus.uid, 'prometheus', 'http://prometheus:9090'],
      [DATASOURCE.loki.uid, 'loki', 'http://loki:3100'],
      [DATASOURCE.tempo.uid, 'tempo', 'http://tempo:3200'],
    ]);
  });

  it('points every datasourceUid of every link between signals at a provisioned datasource', () => {
    const uids = referencedUids(datasources);
    expect(uids.length).toBeGreaterThanOrEqual(6);
    for (const uid of uids) expect(byUid.has(uid), uid).toBe(true);
  });

  it('points every default of a dashboard datasource variable at a provisioned datasource of its type', () => {
    for (const variable of dashboards.flatMap((d) => d.templating.list).filter((v) => v.type === 'datasource')) {
      const uid = (variable.current as { value: string }).value;
      expect(byUid.get(uid)?.type, `${variable.name} -> ${uid}`).toBe(variable.query);
    }
  });

  it('uses only datasource variables of provisioned types in panels', () => {
    const types = new Set(datasources.map((d) => d.type));
    for (const panel of dashboards.flatMap(allPanels)) {
      for (const target of panel.targets ?? []) expect(types, panel.title).toContain(target.datasource.type);
    }
  });

  it('links Prometheus exemplars named trace_id to Tempo', () => {
    expect(byUid.get('prometheus')!.jsonData.exemplarTraceIdDestinations).toEqual([expect.objectContaining({ name: 'trace_id', datasourceUid: 'tempo' })]);
  });

  it('turns a trace_id field of a Loki line into a link to Tempo, with a regex that matches a pino line', () => {
    const [field] = byUid.get('loki')!.jsonData.derivedFields as { name: string; matcherRegex: string; datasourceUid: string; url: string }[];
    expect(field).toMatchObject({ name: 'trace_id', datasourceUid: 'tempo', url: '$${__value.raw}' });
    const line = JSON.stringify({ level: 'info', msg: 'request completed', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(new RegExp(field!.matcherRegex).exec(line)?.[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('links Tempo to logs in Loki, to metrics and the service map in Prometheus', () => {
    const tempo = byUid.get('tempo')!.jsonData as Record<string, { datasourceUid: string }>;
    expect(tempo.tracesToLogsV2!.datasourceUid).toBe('loki');
    expect(tempo.tracesToMetrics!.datasourceUid).toBe('prometheus');
    expect(tempo.serviceMap!.datasourceUid).toBe('prometheus');
  });
});

describe('dashboard provisioning', () => {
  it('loads the generated files from one folder into the "Periscope" folder', () => {
    expect(providers).toEqual([expect.objectContaining({ type: 'file', folder: 'Periscope', options: expect.objectContaining({ path: '/var/lib/grafana/dashboards' }) })]);
  });
});
