/**
 * The generated Kubernetes resources: current with the repo's sources (regenerate and diff), and
 * faithful to them — rule groups exactly, dashboard JSON byte for byte, Alloy's log parsing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { outdated, plan, write } from '../src/generate.ts';
import { dashboardSources, CLIENT_APPLY_LIMIT, DASHBOARD_LABEL } from '../src/dashboards.ts';
import { ruleSources } from '../src/rules.ts';
import { GENERATED_HEADER, PATHS, REPO_ROOT } from '../src/sources.ts';
import { parseDocuments } from '../src/resources.ts';
import { removeTempTrees, tempTree } from './helpers.ts';

const ALLOY_FIXTURE = readFileSync(join(import.meta.dirname, 'fixtures', 'container.alloy'), 'utf8');
const RULES = 'groups:\n  - name: demo\n    rules:\n      - alert: Down\n        expr: up == 0\n        for: 5m\n';

/** A minimal repo with one rules file, one dashboard and an Alloy config. */
function miniRepo(): string {
  return tempTree({
    'alerts/demo.rules.yml': RULES,
    'alerts/README.md': 'not a rules file',
    'deploy/grafana/dashboards/service-red.json': '{ "title": "RED" }\n',
    'deploy/alloy/config.alloy': ALLOY_FIXTURE,
  });
}

function generated(root: string, path: string): unknown {
  const [doc] = parseDocuments(readFileSync(join(root, path), 'utf8'), path);
  return doc;
}

afterAll(removeTempTrees);

describe('regenerate and diff', () => {
  it('finds every generated file in deploy/k8s current with alerts/, deploy/grafana/dashboards/ and deploy/alloy/', () => {
    expect(outdated(REPO_ROOT)).toEqual([]);
  });

  it('covers every rules file and every dashboard that exists now', () => {
    const paths = plan(REPO_ROOT).map((f) => f.path);
    expect(paths.filter((p) => p.startsWith(PATHS.rulesOut) && !p.endsWith('kustomization.yaml'))).toHaveLength(ruleSources(REPO_ROOT).length);
    expect(paths.filter((p) => p.startsWith(PATHS.dashboardsOut) && !p.endsWith('kustomization.yaml'))).toHaveLength(dashboardSources(REPO_ROOT).length);
  });

  it('reports a missing output, a hand edit and a stale file until regenerated', () => {
    const root = miniRepo();
    const rule = `${PATHS.rulesOut}/periscope-demo.yaml`;
    expect(outdated(root)).toContain(rule);
    write(root);
    expect(outdated(root)).toEqual([]);
    writeFileSync(join(root, rule), readFileSync(join(root, rule), 'utf8').replace('for: 5m', 'for: 1m'));
    expect(outdated(root)).toEqual([rule]);
    writeFileSync(join(root, PATHS.rulesOut, 'periscope-old.yaml'), `${GENERATED_HEADER}\n`);
    expect(outdated(root)).toEqual([rule, `${PATHS.rulesOut}/periscope-old.yaml`]);
    write(root);
    expect(outdated(root)).toEqual([]);
    expect(existsSync(join(root, PATHS.rulesOut, 'periscope-old.yaml'))).toBe(false);
  });

  it('follows a changed source', () => {
    const root = miniRepo();
    write(root);
    writeFileSync(join(root, 'alerts/demo.rules.yml'), RULES.replace('5m', '15m'));
    expect(outdated(root)).toEqual([`${PATHS.rulesOut}/periscope-demo.yaml`]);
  });
});

describe('PrometheusRule generation', () => {
  it('makes one PrometheusRule per rules file holding exactly its groups', () => {
    const root = miniRepo();
    write(root);
    const rule = generated(root, `${PATHS.rulesOut}/periscope-demo.yaml`) as { kind: string; metadata: { name: string }; spec: unknown };
    expect(rule.kind).toBe('PrometheusRule');
    expect(rule.metadata.name).toBe('periscope-demo');
    expect(rule.spec).toEqual(parse(RULES));
    expect(generated(root, `${PATHS.rulesOut}/kustomization.yaml`)).toMatchObject({ resources: ['periscope-demo.yaml'] });
  });

  it('carries the groups of every rules file in the repo unchanged', () => {
    for (const source of ruleSources(REPO_ROOT)) {
      const name = `periscope-${source.split('/').pop()?.replace(PATHS.rulesSuffix, '')}`;
      const rule = generated(REPO_ROOT, `${PATHS.rulesOut}/${name}.yaml`) as { spec: unknown };
      expect(rule.spec, source).toEqual({ groups: (parse(readFileSync(join(REPO_ROOT, source), 'utf8')) as { groups: unknown }).groups });
    }
  });
});

describe('dashboard ConfigMaps', () => {
  it('carries the dashboard JSON byte for byte under the sidecar label', () => {
    const root = miniRepo();
    write(root);
    const configMap = generated(root, `${PATHS.dashboardsOut}/periscope-dashboard-service-red.yaml`) as { metadata: { labels: Record<string, string> }; data: Record<string, string> };
    expect(configMap.metadata.labels[DASHBOARD_LABEL]).toBe('1');
    expect(configMap.data).toEqual({ 'service-red.json': '{ "title": "RED" }\n' });
  });

  it('keeps every dashboard of the repo small enough for client-side kubectl apply, or says so', () => {
    for (const source of dashboardSources(REPO_ROOT)) {
      expect(readFileSync(join(REPO_ROOT, source)).length, `${source}: use kubectl apply --server-side`).toBeLessThan(CLIENT_APPLY_LIMIT);
    }
  });

  it('rejects an Alloy config that does not parse, naming the file and the line', () => {
    const root = tempTree({ 'deploy/alloy/config.alloy': 'logging {\n  level = "info\n}\n' });
    expect(() => plan(root)).toThrow('deploy/alloy/config.alloy: line 2: newline in string');
  });

  it('rejects a dashboard that is not JSON', () => {
    const root = tempTree({ 'deploy/grafana/dashboards/bad.json': '{', 'deploy/alloy/config.alloy': ALLOY_FIXTURE });
    expect(() => plan(root)).toThrow('deploy/grafana/dashboards/bad.json: not valid JSON');
  });
});
