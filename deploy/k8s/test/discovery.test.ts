/**
 * Services are found by a pod label, not by a list: the render has one monitor for every app,
 * and a Deployment added by someone else (here in a temporary overlay on top of dev) is scraped
 * when its pods carry the scrape label and a port named metrics — and not when they do not.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { KUBERNETES } from '@periscope/stack';
import { render } from '../src/render.ts';
import { resourceId } from '../src/resources.ts';
import type { Resource } from '../src/resources.ts';
import { consistencyProblems, podMonitorTargets } from '../src/checks.ts';
import { K8S_DIR, OVERLAYS, removeTempTrees, renderOverlay, tempTree } from './helpers.ts';

afterAll(removeTempTrees);

const MONITOR_KINDS = ['PodMonitor', 'ServiceMonitor'];
/** Monitors of the stack's own components (Alloy's metrics), not of apps. */
const COMPONENT_MONITORS = ['ServiceMonitor/alloy'];
const monitors = (resources: readonly Resource[]) => resources.filter((r) => MONITOR_KINDS.includes(r.kind));
const appMonitors = (resources: readonly Resource[]) => monitors(resources).filter((m) => !COMPONENT_MONITORS.includes(`${m.kind}/${m.metadata.name}`));

/** A Deployment of someone else's service: `podLabels` on its pods, one container with a metrics port. */
function deployment(name: string, podLabels: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { [KUBERNETES.serviceLabel]: name } },
      template: {
        metadata: { labels: { [KUBERNETES.serviceLabel]: name, ...podLabels } },
        spec: { containers: [{ name, image: `${name}:1.0.0`, ports: [{ name: KUBERNETES.metricsPort, containerPort: 9464 }] }] },
      },
    },
  };
}

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const resources = renderOverlay(overlay);

  it(`has exactly one app monitor: a PodMonitor selecting ${KUBERNETES.scrapeLabel}="true" on the port named ${KUBERNETES.metricsPort}`, () => {
    const [monitor, ...others] = appMonitors(resources);
    expect(others).toEqual([]);
    expect(monitor?.kind).toBe('PodMonitor');
    const spec = monitor!.spec as { selector: unknown; podMetricsEndpoints: Array<{ port: string; relabelings: unknown[] }> };
    expect(spec.selector).toEqual({ matchLabels: { [KUBERNETES.scrapeLabel]: 'true' } });
    expect(spec.podMetricsEndpoints.map((e) => e.port)).toEqual([KUBERNETES.metricsPort]);
  });

  it('takes job from the service label and team from the team label of the pod', () => {
    const meta = (label: string) => `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
    const endpoint = (appMonitors(resources)[0]!.spec as { podMetricsEndpoints: Array<{ relabelings: unknown[] }> }).podMetricsEndpoints[0]!;
    expect(endpoint.relabelings).toEqual([
      { sourceLabels: [meta(KUBERNETES.serviceLabel)], regex: '(.+)', targetLabel: 'job' },
      { sourceLabels: [meta(KUBERNETES.teamLabel)], regex: '(.+)', targetLabel: 'team' },
    ]);
  });
});

describe('a Deployment added on top of the dev overlay', () => {
  const dir = tempTree({
    'billing.yaml': stringify(deployment('billing', { [KUBERNETES.scrapeLabel]: 'true', [KUBERNETES.teamLabel]: 'payments' })),
    'batch.yaml': stringify(deployment('batch', {})),
  });
  // kustomize takes a base by a path relative to the kustomization, never an absolute one.
  writeFileSync(join(dir, 'kustomization.yaml'), stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: 'periscope-dev',
    resources: [relative(dir, join(K8S_DIR, 'overlays', 'dev')), 'billing.yaml', 'batch.yaml'],
  }));
  const resources = render(dir);
  const monitor = appMonitors(resources)[0]!;
  const scraped = podMonitorTargets(resources, monitor).map(resourceId).sort();

  it('still has the one app monitor, and everything fits together', () => {
    expect(appMonitors(resources)).toHaveLength(1);
    expect(consistencyProblems(resources)).toEqual([]);
  });

  it('is scraped by the monitor when its pods carry the scrape label', () => {
    expect(scraped).toContain('Deployment/periscope-dev/billing');
  });

  it('is not scraped without the label, though it has a port named metrics', () => {
    expect(scraped).not.toContain('Deployment/periscope-dev/batch');
  });

  it('leaves the demo services scraped as before, and nothing else', () => {
    const demo = renderOverlay('dev');
    const before = podMonitorTargets(demo, appMonitors(demo)[0]!).map(resourceId);
    expect(scraped).toEqual([...before, 'Deployment/periscope-dev/billing'].sort());
  });
});
