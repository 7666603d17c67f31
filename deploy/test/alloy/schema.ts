/**
 * What the Alloy reference documents for the components and blocks deploy/alloy/config.alloy
 * uses: their arguments (required or not), inner blocks and exported fields. Taken from the
 * component pages under https://grafana.com/docs/alloy/latest/reference/components/ (each entry
 * cites its page). A name missing here is a name the check cannot vouch for: add it from the
 * documentation, never by guessing.
 */

/** Arguments and inner blocks of a block. */
export interface BlockSchema {
  /** Argument name → required. */
  args: Record<string, boolean>;
  blocks?: Record<string, BlockSchema>;
  /** The block may appear more than once in its parent. */
  repeatable?: boolean;
}

/** A component: a block with a label and exported fields. */
export interface ComponentSchema extends BlockSchema {
  doc: string;
  exports: string[];
}

const DOCS = 'https://grafana.com/docs/alloy/latest/reference';

const relabelRule: BlockSchema = {
  repeatable: true,
  args: { action: false, modulus: false, regex: false, replacement: false, separator: false, source_labels: false, target_label: false },
};

const tlsConfig: BlockSchema = {
  args: { ca_pem: false, ca_file: false, cert_pem: false, cert_file: false, insecure_skip_verify: false, key_file: false, key_pem: false, min_version: false, server_name: false },
};

const mapStage: BlockSchema = { repeatable: true, args: { values: false } };

/** loki.process stages (https://grafana.com/docs/alloy/latest/reference/components/loki/loki.process/). */
const stages: Record<string, BlockSchema> = {
  'stage.json': { repeatable: true, args: { expressions: true, drop_malformed: false, source: false } },
  'stage.labels': mapStage,
  'stage.static_labels': mapStage,
  'stage.structured_metadata': mapStage,
  'stage.label_keep': mapStage,
  'stage.label_drop': mapStage,
  'stage.timestamp': { repeatable: true, args: { source: true, format: true, action_on_failure: false, fallback_formats: false, location: false } },
  'stage.drop': {
    repeatable: true,
    args: { drop_counter_reason: false, expression: false, longer_than: false, older_than: false, separator: false, source: false, value: false },
  },
  'stage.template': { repeatable: true, args: { source: true, template: true } },
};
// stage.match nests the same stages as loki.process itself.
stages['stage.match'] = { repeatable: true, args: { selector: true, action: false, drop_counter_reason: false, pipeline_name: false }, blocks: stages };

/** The components, by name. */
export const COMPONENTS: Record<string, ComponentSchema> = {
  'discovery.docker': {
    doc: `${DOCS}/components/discovery/discovery.docker/`,
    args: { host: true, port: false, host_networking_host: false, refresh_interval: false, match_first_network: false },
    exports: ['targets'],
  },
  'discovery.relabel': {
    doc: `${DOCS}/components/discovery/discovery.relabel/`,
    args: { targets: true },
    blocks: { rule: relabelRule },
    exports: ['output', 'rules'],
  },
  'loki.source.docker': {
    doc: `${DOCS}/components/loki/loki.source.docker/`,
    args: { forward_to: true, host: true, targets: true, labels: false, refresh_interval: false, relabel_rules: false },
    exports: [],
  },
  'loki.source.syslog': {
    doc: `${DOCS}/components/loki/loki.source.syslog/`,
    args: { forward_to: true, relabel_rules: false },
    blocks: {
      listener: {
        repeatable: true,
        args: {
          address: true, idle_timeout: false, label_structured_data: false, labels: false, max_message_length: false,
          protocol: false, syslog_format: false, use_incoming_timestamp: false, use_rfc5424_message: false,
        },
        blocks: { tls_config: tlsConfig },
      },
    },
    exports: [],
  },
  'loki.relabel': {
    doc: `${DOCS}/components/loki/loki.relabel/`,
    args: { forward_to: true, max_cache_size: false },
    blocks: { rule: relabelRule },
    exports: ['receiver', 'rules'],
  },
  'loki.process': {
    doc: `${DOCS}/components/loki/loki.process/`,
    args: { forward_to: true },
    blocks: stages,
    exports: ['receiver'],
  },
  'loki.write': {
    doc: `${DOCS}/components/loki/loki.write/`,
    args: { external_labels: false, max_streams: false },
    blocks: {
      endpoint: {
        repeatable: true,
        args: { url: true, name: false, batch_size: false, batch_wait: false, headers: false, remote_timeout: false, tenant_id: false, bearer_token: false, bearer_token_file: false },
      },
    },
    exports: ['receiver'],
  },
  'otelcol.receiver.otlp': {
    doc: `${DOCS}/components/otelcol/otelcol.receiver.otlp/`,
    args: {},
    blocks: {
      grpc: { args: { endpoint: false, transport: false, max_recv_msg_size: false, max_concurrent_streams: false, read_buffer_size: false, write_buffer_size: false, include_metadata: false } },
      http: { args: { endpoint: false, max_request_body_size: false, include_metadata: false, traces_url_path: false, metrics_url_path: false, logs_url_path: false } },
      output: { args: { logs: false, metrics: false, traces: false } },
    },
    exports: [],
  },
  'otelcol.processor.batch': {
    doc: `${DOCS}/components/otelcol/otelcol.processor.batch/`,
    args: { timeout: false, send_batch_size: false, send_batch_max_size: false, metadata_keys: false, metadata_cardinality_limit: false },
    blocks: { output: { args: { logs: false, metrics: false, traces: false } } },
    exports: ['input'],
  },
  'otelcol.exporter.otlp': {
    doc: `${DOCS}/components/otelcol/otelcol.exporter.otlp/`,
    args: { timeout: false },
    blocks: {
      client: {
        args: { endpoint: true, compression: false, balancer_name: false, authority: false, auth: false, headers: false, read_buffer_size: false, write_buffer_size: false, wait_for_ready: false },
        blocks: { tls: { args: { insecure: false, insecure_skip_verify: false, ca_file: false, ca_pem: false, cert_file: false, cert_pem: false, key_file: false, key_pem: false, server_name: false, min_version: false } } },
      },
    },
    exports: ['input'],
  },
};

/** Unlabelled configuration blocks (https://grafana.com/docs/alloy/latest/reference/config-blocks/logging/). */
export const CONFIG_BLOCKS: Record<string, BlockSchema> = {
  logging: { args: { level: false, format: false, write_to: false } },
};

/** Standard-library functions the config may call (https://grafana.com/docs/alloy/latest/reference/stdlib/). */
export const FUNCTIONS = new Set(['sys.env', 'coalesce', 'concat', 'format', 'join', 'json_decode', 'string.format', 'string.join', 'encoding.from_json']);
