/**
 * The DaemonSet's Alloy config: the container stack's log pipeline carried over verbatim, the
 * Docker plumbing replaced by Kubernetes discovery that sets the same stream labels.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubernetesAlloyConfig, kubernetesMetaLabel, logPipeline, podRelabelRules } from '../src/alloy.ts';
import { forwardTargets, parseBlocks, relabelRules, targetLabels } from '../src/alloy-syntax.ts';
import type { Block } from '../src/alloy-syntax.ts';
import { PATHS, REPO_ROOT } from '../src/sources.ts';

const FIXTURE = readFileSync(join(import.meta.dirname, 'fixtures', 'container.alloy'), 'utf8');

function block(blocks: readonly Block[], name: string, label: string): Block {
  const found = blocks.find((b) => b.name === name && b.label === label);
  if (!found) throw new Error(`no ${name} "${label}"`);
  return found;
}

describe('Alloy config syntax', () => {
  it('finds top-level blocks, ignoring braces in strings, raw strings and comments', () => {
    const blocks = parseBlocks('// a { comment\nlogging {\n  level = "info"\n}\n/* } */\nloki.process "p" {\n  stage.regex { expression = "\\\\{(?P<x>[^}]*)\\"}" }\n  stage.drop { expression = `}{` }\n  forward_to = [loki.write.w.receiver, // next\n    loki.process.q.receiver]\n}\n');
    expect(blocks.map((b) => [b.name, b.label])).toEqual([['logging', undefined], ['loki.process', 'p']]);
    expect(forwardTargets(blocks[1] as Block)).toEqual(['loki.write.w.receiver', 'loki.process.q.receiver']);
  });

  it('reports an unclosed block and stray text, with the line', () => {
    expect(() => parseBlocks('loki.process "p" {\n  stage.json {\n}\n')).toThrow('line 3: unexpected end of file: a block is not closed');
    expect(() => parseBlocks('= 3')).toThrow('line 1: expected an attribute or a block, got "="');
  });
});

describe('Kubernetes Alloy config', () => {
  const generated = kubernetesAlloyConfig(FIXTURE);
  const blocks = parseBlocks(generated);

  it('carries the container log pipeline verbatim, without the Docker log-wrapper stage', () => {
    const original = block(parseBlocks(FIXTURE), 'loki.process', 'json').text;
    expect(block(blocks, 'loki.process', 'json').text).toBe(original.replace(/^[ \t]*stage\.docker \{\}\n/m, ''));
    expect(block(blocks, 'loki.process', 'drop_health').body).toContain('stage.drop {');
  });

  it('leaves out pipelines that do not carry container logs (the syslog receiver)', () => {
    expect(blocks.some((b) => b.label === 'syslog')).toBe(false);
  });

  it('feeds pod logs into the first stage of that pipeline and ends it at the Loki writer from $LOKI_PUSH_URL', () => {
    expect(forwardTargets(block(blocks, 'loki.source.kubernetes', 'pods'))).toEqual(['loki.process.json.receiver']);
    expect(forwardTargets(block(blocks, 'loki.process', 'drop_health'))).toEqual(['loki.write.default.receiver']);
    expect(block(blocks, 'loki.write', 'default').body).toContain('url = sys.env("LOKI_PUSH_URL")');
  });

  it('keeps nothing Docker-specific and discovers only this node\'s pods', () => {
    expect(generated.replace(/^\s*\/\/.*$/gm, '')).not.toMatch(/docker/);
    expect(block(blocks, 'discovery.kubernetes', 'pods').body).toContain('field = "spec.nodeName=" + sys.env("NODE_NAME")');
  });

  it('picks targets with the container stack\'s rules, Docker labels translated to pod labels', () => {
    const pods = block(blocks, 'discovery.relabel', 'pods');
    expect(pods.body).toContain('targets = discovery.kubernetes.pods.targets');
    expect(relabelRules(pods)).toEqual([
      { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], target_label: 'service' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], regex: '/(.*)', target_label: 'container' },
    ]);
    expect(targetLabels(pods)).toEqual(targetLabels(block(parseBlocks(FIXTURE), 'discovery.relabel', 'containers')));
  });

  it('maps compose project and service to the app.kubernetes.io labels and other container labels to pod labels', () => {
    expect(kubernetesMetaLabel('__meta_docker_container_label_com_docker_compose_project')).toBe('__meta_kubernetes_pod_label_app_kubernetes_io_part_of');
    expect(kubernetesMetaLabel('__meta_docker_container_label_periscope_logs')).toBe('__meta_kubernetes_pod_label_periscope_logs');
    expect(() => kubernetesMetaLabel('__meta_docker_network_ip')).toThrow('no Kubernetes equivalent for the discovery label __meta_docker_network_ip');
  });

  it('forwards OTLP traces to Tempo from $TEMPO_OTLP_ENDPOINT', () => {
    expect(block(blocks, 'otelcol.exporter.otlp', 'tempo').body).toContain('endpoint = sys.env("TEMPO_OTLP_ENDPOINT")');
  });

  it('fails, naming what it found, when the container config has no container log source', () => {
    expect(() => logPipeline(parseBlocks('logging {\n}\nloki.write "w" {\n}\n'))).toThrow('no container log source (loki.source.docker); found logging, loki.write');
  });
});

describe('with the repo\'s deploy/alloy/config.alloy', () => {
  const config = (): string => readFileSync(join(REPO_ROOT, PATHS.alloyConfig), 'utf8');

  it('finds a container log pipeline to carry over', () => {
    expect(logPipeline(parseBlocks(config())).processes.length).toBeGreaterThan(0);
  });

  it('translates every rule that picks container targets, leaving no Docker label behind', () => {
    const rules = podRelabelRules(parseBlocks(config()));
    expect(rules).not.toMatch(/__meta_docker/);
    expect(kubernetesAlloyConfig(config()).replace(/^\s*\/\/.*$/gm, '')).not.toMatch(/docker/i);
  });
});
