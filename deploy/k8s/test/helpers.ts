/**
 * Test helpers: temporary kustomization trees, rendered overlays, and a real Prometheus (Debian's)
 * started on a free loopback port.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../src/kustomize/render.ts';
import type { Resource } from '../src/kustomize/types.ts';
import { startLoopbackServer } from '../../../alerts/lib/process.ts';

/** deploy/k8s */
export const K8S_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The overlays a user applies. */
export const OVERLAYS = ['dev', 'prod'] as const;

/** Renders an overlay of deploy/k8s. */
export function renderOverlay(name: (typeof OVERLAYS)[number]): Resource[] {
  return build(join(K8S_DIR, 'overlays', name));
}

const trees: string[] = [];

/** Writes `files` (path → content) under a new temporary directory and returns it. */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'periscope-k8s-'));
  trees.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Deletes every directory tempTree made (call from afterAll). */
export function removeTempTrees(): void {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** Polls `fn` every 200 ms until it returns a value, for at most `timeoutMs`. */
export async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 1000 && Date.now() < deadline; attempt++) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A Prometheus server started by a test. */
export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

/** Starts Debian's `prometheus` with `configFile` on a free loopback port (the alerts' helper) and waits until ready. */
export async function startPrometheus(configFile: string): Promise<RunningPrometheus> {
  const server = await startLoopbackServer('prometheus', (port, dataDir) => [
    `--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${dataDir}`,
  ]);
  return { url: server.base, stop: () => server.stop() };
}
