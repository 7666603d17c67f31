/**
 * deploy/alloy/config.alloy, checked without running Alloy: it parses, every component, block and
 * argument is one the Alloy reference documents (test/alloy/schema.ts), every reference resolves,
 * and the pipeline does what the stack relies on.
 */
import { describe, expect, it } from 'vitest';
import { LOG_KEY } from '@periscope/instrument/contract';
import { checkAlloy } from './alloy/check.ts';
import type { Component } from './alloy/check.ts';
import { AlloySyntaxError, parseAlloy } from '../k8s/src/alloy-syntax.ts';
import type { Block } from '../k8s/src/alloy-syntax.ts';
import { at } from './helpers/documented-keys.ts';
import { hostPort, readText, readYaml } from './helpers/repo.ts';

const source = readText('deploy/alloy/config.alloy');
const { components, problems } = checkAlloy(source);

function component(id: string): Block {
  const found = components.find((c: Component) => c.id === id);
  if (!found) throw new Error(`${id} is not in config.alloy`);
  return found.block;
}

/** The literal value of an attribute (a string, a list of strings or a map of strings). */
function literal(block: Block, name: string): unknown {
  const attr = block.attributes.find((a) => a.name === name);
  if (!attr) return undefined;
  const strings = attr.tokens.filter((t) => t.kind === 'string').map((t) => t.value);
  if (attr.tokens[0]!.text === '[') return strings;
  if (attr.tokens[0]!.text === '{') {
    const map: Record<string, string> = {};
    for (let i = 1; i < attr.tokens.length - 1; i++) {
      if (attr.tokens[i + 1]?.text === '=') map[attr.tokens[i]!.text] = attr.tokens.slice(i + 2).find((t) => t.kind === 'string')?.value ?? '';
    }
    return map;
  }
  if (attr.tokens.length === 1) return attr.tokens[0]!.kind === 'string' ? attr.tokens[0]!.value : attr.tokens[0]!.text;
  return attr.tokens.map((t) => t.text).join(' ');
}

function stages(block: Block, name: string): Block[] {
  return block.blocks.filter((b) => b.name === name);
}

describe('deploy/alloy/config.alloy', () => {
  it('uses only documented components, blocks and arguments, and every reference resolves', () => {
    expect(problems).toEqual([]);
    expect(components.map((c) => c.block.name).sort()).toEqual([
      'discovery.docker', 'discovery.relabel', 'loki.process', 'loki.relabel', 'loki.source.docker',
      'loki.source.syslog', 'loki.write', 'otelcol.exporter.otlp', 'otelcol.processor.batch', 'otelcol.receiver.otlp',
    ]);
  });

  it('reads Docker container logs and the RFC 5424 syslog receiver into the same pipeline', () => {
    const docker = component('loki.source.docker.containers');
    expect(literal(docker, 'host')).toBe('unix:///var/run/docker.sock');
    const syslog = component('loki.source.syslog.services');
    const [listener] = syslog.blocks;
    expect(literal(listener!, 'protocol')).toBe('tcp');
    expect(literal(listener!, 'syslog_format')).toBe('rfc5424');
    expect(hostPort(String(literal(listener!, 'address'))).port).toBe(1514);
    expect(literal(docker, 'forward_to')).toEqual(literal(syslog, 'forward_to'));
  });

  it('parses the JSON line and labels only service, level and env (and log_type for audit lines)', () => {
    const pipeline = component('loki.process.periscope');
    const json = literal(stages(pipeline, 'stage.json')[0]!, 'expressions') as Record<string, string>;
    for (const key of [LOG_KEY.level, LOG_KEY.service, LOG_KEY.requestId, LOG_KEY.traceId, LOG_KEY.time]) expect(Object.values(json)).toContain(key);
    const labels = stages(pipeline, 'stage.labels').flatMap((s) => Object.keys(literal(s, 'values') as object));
    const statics = stages(pipeline, 'stage.static_labels').flatMap((s) => Object.keys(literal(s, 'values') as object));
    expect([...labels, ...statics].sort()).toEqual(['env', 'level', 'service']);
    const keep = literal(stages(pipeline, 'stage.label_keep')[0]!, 'values');
    expect(keep).toEqual(['service', 'level', 'env', LOG_KEY.logType]);
    // The label_keep stage is last, so no source can add a label after it.
    expect(pipeline.blocks.at(-1)!.name).toBe('stage.label_keep');
  });

  it('keeps request_id and trace_id as structured metadata, not labels', () => {
    const pipeline = component('loki.process.periscope');
    const metadata = Object.keys(literal(stages(pipeline, 'stage.structured_metadata')[0]!, 'values') as object);
    expect(metadata.sort()).toEqual([LOG_KEY.requestId, LOG_KEY.traceId]);
  });

  it('gives audit lines their own stream, log_type="audit", matching the selector Loki keeps longer', () => {
    const match = stages(component('loki.process.periscope'), 'stage.match')[0]!;
    expect(literal(match, 'selector')).toContain(`"${LOG_KEY.logType}":"audit"`);
    expect(literal(match.blocks[0]!, 'values')).toEqual({ [LOG_KEY.logType]: 'audit' });
    const loki = readYaml('deploy/loki/loki.yaml');
    const selectors = (at(loki, 'limits_config.retention_stream') as { selector: string }[]).map((s) => s.selector);
    expect(selectors).toContain(`{${LOG_KEY.logType}="audit"}`);
  });

  it('pushes to Loki on the port Loki listens on, and forwards OTLP to Tempo gRPC port', () => {
    const loki = readYaml('deploy/loki/loki.yaml');
    const push = new URL(String(literal(component('loki.write.loki').blocks[0]!, 'url')));
    expect(push.hostname).toBe('loki');
    expect(Number(push.port)).toBe(at(loki, 'server.http_listen_port'));
    expect(push.pathname).toBe('/loki/api/v1/push');
    const tempo = readYaml('deploy/tempo/tempo.yaml');
    const exporter = hostPort(String(literal(component('otelcol.exporter.otlp.tempo').blocks[0]!, 'endpoint')));
    expect(exporter).toEqual({ host: 'tempo', port: hostPort(String(at(tempo, 'distributor.receivers.otlp.protocols.grpc.endpoint'))).port });
  });

  it('receives OTLP on 4317 (gRPC) and 4318 (HTTP) on every interface', () => {
    const receiver = component('otelcol.receiver.otlp.default');
    const endpoint = (name: string) => hostPort(String(literal(receiver.blocks.find((b) => b.name === name)!, 'endpoint')));
    expect(endpoint('grpc')).toEqual({ host: '0.0.0.0', port: 4317 });
    expect(endpoint('http')).toEqual({ host: '0.0.0.0', port: 4318 });
  });
});

describe('the Alloy check itself', () => {
  it('reports an unknown argument, an unknown component and a reference to nothing', () => {
    const broken = `
      loki.write "out" {
        endpoint { url = "http://loki:3100/loki/api/v1/push" }
        colour = "blue"
      }
      loki.teleport "x" { }
      loki.process "p" {
        stage.json { expressions = { a = "a" } }
        forward_to = [loki.write.nowhere.receiver, loki.write.out.input]
      }`;
    expect(checkAlloy(broken).problems).toEqual([
      'loki.write.out: unknown argument "colour" (line 4)',
      'unknown component or block "loki.teleport" (line 6)',
      'loki.process.p: reference loki.write.nowhere.receiver names no component of this file (line 9)',
      'loki.process.p: loki.write.out exports no field "input" (line 9)',
    ]);
  });

  it('reports a missing required argument and an unknown function', () => {
    const broken = `loki.source.syslog "s" {
      listener { protocol = "tcp" }
      forward_to = [loki.write.w.receiver]
    }
    loki.write "w" { endpoint { url = env_var("X") } }`;
    expect(checkAlloy(broken).problems).toEqual([
      'loki.source.syslog.s > listener: required argument "address" missing',
      'loki.write.w: unknown function env_var() (line 5)',
    ]);
  });

  it('rejects unbalanced braces and unterminated strings with their line', () => {
    expect(() => parseAlloy('logging {\n level = "info"\n')).toThrow(AlloySyntaxError);
    expect(() => parseAlloy('logging {\n level = "info\n}')).toThrow('line 2: newline in string');
  });
});
