/**
 * The Alloy config of the Kubernetes DaemonSet, generated from the container stack's
 * deploy/alloy/config.alloy so that pod logs get exactly the same parsing.
 *
 * Kept from the container config: every `loki.process` block on the path from its container log
 * source (`loki.source.docker`) to Loki, verbatim, and the rules of the `discovery.relabel` that
 * picks its targets, with each Docker label translated to the pod label that stands for it.
 * Replaced by Kubernetes plumbing: discovery (`discovery.kubernetes`, this node's pods only), the
 * source (`loki.source.kubernetes`, which tails through the API server, so no host paths are
 * mounted), the Loki endpoint (`loki.write`, URL from $LOKI_PUSH_URL) and an OTLP receiver that
 * forwards traces to Tempo ($TEMPO_OTLP_ENDPOINT).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { GenerateError } from './errors.ts';
import type { JsonObject } from './resources.ts';
import { AlloySyntaxError, attributeReference, forwardTargets, parseBlocks, referencedBlock } from './alloy-syntax.ts';
import type { Block } from './alloy-syntax.ts';
import { fromRoot, PATHS } from './sources.ts';
import { manifestText } from './generated-file.ts';
import type { GeneratedFile } from './generated-file.ts';

/** Component kinds of the container stack's log source. */
export const CONTAINER_SOURCES: readonly string[] = Object.freeze(['loki.source.docker']);

/** Stages that decode a container runtime's log wrapper; the Kubernetes API returns plain lines. */
const RUNTIME_STAGES = /^[ \t]*stage\.(?:docker|cri)\s*\{[^}]*\}[ \t]*\r?\n?/gm;

/**
 * Docker discovery labels and the Kubernetes pod labels that stand for them: the compose project
 * is `app.kubernetes.io/part-of`, the compose service `app.kubernetes.io/name`, any other
 * container label the pod label of the same name, the container name the pod's container name.
 */
export const META_LABELS: ReadonlyArray<readonly [docker: string, kubernetes: string]> = Object.freeze([
  ['__meta_docker_container_label_com_docker_compose_project', '__meta_kubernetes_pod_label_app_kubernetes_io_part_of'],
  ['__meta_docker_container_label_com_docker_compose_service', '__meta_kubernetes_pod_label_app_kubernetes_io_name'],
  ['__meta_docker_container_name', '__meta_kubernetes_pod_container_name'],
]);
const CONTAINER_LABEL = '__meta_docker_container_label_';
const POD_LABEL = '__meta_kubernetes_pod_label_';

/** Name of the ConfigMap holding the config, and its key (mounted at /etc/alloy/config.alloy). */
export const CONFIG_MAP = Object.freeze({ name: 'alloy-config', key: 'config.alloy' });

const WRITE_REF = 'loki.write.default.receiver';
const K8S_TARGETS = 'discovery.kubernetes.pods.targets';

/** The Kubernetes discovery label that stands for a Docker one; an unknown Docker label is an error. */
export function kubernetesMetaLabel(docker: string): string {
  const mapped = META_LABELS.find(([d]) => d === docker);
  if (mapped) return mapped[1];
  if (docker.startsWith(CONTAINER_LABEL)) return POD_LABEL + docker.slice(CONTAINER_LABEL.length);
  throw new GenerateError(`${PATHS.alloyConfig}: no Kubernetes equivalent for the discovery label ${docker} (add one to META_LABELS in deploy/k8s/src/alloy.ts)`);
}

/** The container log source of the container stack's config. */
function containerSource(blocks: readonly Block[]): Block {
  const source = blocks.find((b) => CONTAINER_SOURCES.includes(b.name));
  if (!source) {
    const found = blocks.map((b) => b.name).join(', ');
    throw new GenerateError(`${PATHS.alloyConfig}: no container log source (${CONTAINER_SOURCES.join(', ')}); found ${found}`);
  }
  return source;
}

/** The `loki.process` blocks reached from the container log source, following `forward_to`. */
export function logPipeline(blocks: readonly Block[]): { entry: string[]; processes: Block[] } {
  const source = containerSource(blocks);
  const processes: Block[] = [];
  const queue = forwardTargets(source);
  for (let guard = 0; queue.length > 0 && guard < 1000; guard++) {
    const block = referencedBlock(blocks, queue.shift() as string);
    if (block?.name === 'loki.process' && !processes.includes(block)) {
      processes.push(block);
      queue.push(...forwardTargets(block));
    }
  }
  return { entry: forwardTargets(source).map(rewriteRef), processes };
}

/**
 * The rules of the `discovery.relabel` that feeds the container log source, translated to pod
 * discovery labels (empty when the source reads Docker discovery directly).
 */
export function podRelabelRules(blocks: readonly Block[]): string {
  const targets = attributeReference(containerSource(blocks), 'targets');
  const relabel = targets ? referencedBlock(blocks, targets) : undefined;
  if (!relabel || relabel.name !== 'discovery.relabel') return '';
  const rules = relabel.body.replace(/^[\s\S]*?\btargets\s*=\s*[A-Za-z0-9_.]+[ \t]*\r?\n/, '');
  return rules.replace(/__meta_docker_[A-Za-z0-9_]+/g, kubernetesMetaLabel).replace(/^\s*\n/, '').trimEnd();
}

function rewriteRef(ref: string): string {
  return ref.startsWith('loki.write.') ? WRITE_REF : ref;
}

/** A copied `loki.process` block: runtime-wrapper stages dropped, Loki writes pointed at ours. */
function adaptProcess(block: Block): string {
  return block.text
    .replace(RUNTIME_STAGES, '')
    .replace(/\bloki\.write\.[A-Za-z0-9_]+\.receiver\b/g, WRITE_REF);
}

/** The DaemonSet's Alloy config, built from the container stack's config text. */
export function kubernetesAlloyConfig(containerConfig: string): string {
  const blocks = parseBlocks(containerConfig);
  const { entry, processes } = logPipeline(blocks);
  const forward = entry.length > 0 ? entry : [WRITE_REF];
  return `// Generated by deploy/k8s/src/generate.ts from ${PATHS.alloyConfig} — do not edit.
// Pod logs of this node, parsed by the same loki.process pipeline as the container stack.

discovery.kubernetes "pods" {
  role = "pod"
  selectors {
    role  = "pod"
    field = "spec.nodeName=" + sys.env("NODE_NAME")
  }
}

// The container stack's target rules, with Docker labels translated to pod labels:
${META_LABELS.map(([d, k]) => `//   ${d} -> ${k}`).join('\n')}
//   ${CONTAINER_LABEL}<name> -> ${POD_LABEL}<name>
discovery.relabel "pods" {
  targets = ${K8S_TARGETS}

${podRelabelRules(blocks)}
}

loki.source.kubernetes "pods" {
  targets    = discovery.relabel.pods.output
  forward_to = [${forward.join(', ')}]
}

${processes.map(adaptProcess).join('\n\n')}

loki.write "default" {
  endpoint {
    url = sys.env("LOKI_PUSH_URL")
  }
}

// Traces: the demo services send OTLP/HTTP to this node's agent (Service "alloy", internalTrafficPolicy Local).
otelcol.receiver.otlp "default" {
  http {
    endpoint = "0.0.0.0:4318"
  }
  grpc {
    endpoint = "0.0.0.0:4317"
  }
  output {
    traces = [otelcol.processor.batch.default.input]
  }
}

otelcol.processor.batch "default" {
  output {
    traces = [otelcol.exporter.otlp.tempo.input]
  }
}

otelcol.exporter.otlp "tempo" {
  client {
    endpoint = sys.env("TEMPO_OTLP_ENDPOINT")
    tls {
      insecure = true
    }
  }
}
`;
}

/** The ConfigMap and the patch that rolls the DaemonSet when the config changes. */
export function generateAlloy(root: string): GeneratedFile[] {
  const sourcePath = fromRoot(root, PATHS.alloyConfig);
  if (!existsSync(sourcePath)) throw new GenerateError(`${PATHS.alloyConfig} does not exist: the DaemonSet's log parsing is generated from it`);
  let config: string;
  try {
    config = kubernetesAlloyConfig(readFileSync(sourcePath, 'utf8'));
  } catch (error) {
    if (error instanceof AlloySyntaxError) throw new GenerateError(`${PATHS.alloyConfig}: ${error.message}`);
    throw error;
  }
  const configMap: JsonObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CONFIG_MAP.name, labels: { 'app.kubernetes.io/name': 'alloy' } },
    data: { [CONFIG_MAP.key]: config },
  };
  const checksum = createHash('sha256').update(config).digest('hex');
  const patch: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'alloy' },
    spec: { template: { metadata: { annotations: { 'periscope.dev/config-sha256': checksum } } } },
  };
  return [
    { path: `${PATHS.alloyOut}/configmap.yaml`, content: manifestText(PATHS.alloyConfig, [configMap]) },
    { path: `${PATHS.alloyOut}/config-checksum.yaml`, content: manifestText(PATHS.alloyConfig, [patch]) },
  ];
}
