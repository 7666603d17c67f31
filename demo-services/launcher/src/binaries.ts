/**
 * The Prometheus, Alertmanager and node exporter programs, from Debian's packages. When one is
 * missing and we run as root on a Debian-like system, it is installed with apt-get; otherwise the
 * exact install command is printed and the stack runs without it.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A program the stack can run. */
export type BinaryName = 'prometheus' | 'alertmanager' | 'nodeExporter';

/** Where to look for each program and which Debian package ships it. */
export const BINARIES: Readonly<Record<BinaryName, { commands: readonly string[]; debPackage: string; env: string }>> = Object.freeze({
  prometheus: { commands: ['prometheus'], debPackage: 'prometheus', env: 'PROMETHEUS_BIN' },
  alertmanager: { commands: ['prometheus-alertmanager', 'alertmanager'], debPackage: 'prometheus-alertmanager', env: 'ALERTMANAGER_BIN' },
  nodeExporter: { commands: ['prometheus-node-exporter', 'node_exporter'], debPackage: 'prometheus-node-exporter', env: 'NODE_EXPORTER_BIN' },
});

/** The path of an executable `name` on `PATH` (or /usr/bin, /usr/sbin), or `undefined`. */
export function whichCommand(name: string, envPath: string = process.env.PATH ?? ''): string | undefined {
  const dirs = [...envPath.split(path.delimiter).filter(Boolean), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  return dirs.map((dir) => path.join(dir, name)).find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds a program: its `*_BIN` variable first (throws when that is not executable), then its usual command names. */
export function findBinary(name: BinaryName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { commands, env: variable } = BINARIES[name];
  const override = env[variable];
  if (override) {
    if (!isExecutable(override)) throw new Error(`${variable}="${override}" is not an executable file`);
    return override;
  }
  for (const command of commands) {
    const found = whichCommand(command, env.PATH);
    if (found) return found;
  }
  return undefined;
}

/** The message printed when programs are missing and cannot be installed here. */
export function installAdvice(missing: readonly BinaryName[]): string {
  const packages = missing.map((name) => BINARIES[name].debPackage).join(' ');
  return [
    `Not installed: ${packages}.`,
    `  Install them (Debian/Ubuntu):   sudo apt-get install -y ${packages}`,
    `  or run the whole stack in containers:   docker compose -f deploy/compose.yaml up`,
    `  or point ${missing.map((name) => BINARIES[name].env).join(' / ')} at the programs.`,
    'Starting the services without them.',
  ].join('\n');
}

/**
 * Resolves the wanted programs. Missing ones are installed with apt-get when running as root on a
 * Debian-like system (their packaged daemons are stopped again: the stack runs its own); otherwise
 * the advice is printed. Resolves to the path of each program found.
 */
export async function ensureBinaries(
  wanted: readonly BinaryName[],
  log: (line: string) => void,
  allowInstall = true,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Partial<Record<BinaryName, string>>> {
  const found: Partial<Record<BinaryName, string>> = {};
  const lookup = () => {
    for (const name of wanted) found[name] ??= findBinary(name, env);
    return wanted.filter((name) => !found[name]);
  };
  let missing = lookup();
  if (missing.length > 0 && allowInstall && canInstall()) {
    const packages = missing.map((name) => BINARIES[name].debPackage);
    log(`Installing ${packages.join(' ')} with apt-get …`);
    try {
      await aptInstall(packages);
    } catch (err) {
      log(`apt-get failed: ${(err as Error).message.split('\n')[0]}`);
    }
    missing = lookup();
  }
  if (missing.length > 0) log(installAdvice(missing));
  return found;
}

function canInstall(): boolean {
  return process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && existsSync('/etc/debian_version');
}

async function aptInstall(packages: readonly string[]): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, maxBuffer: 16 << 20 });
  try {
    await install();
  } catch {
    await run('apt-get', ['update', '-qq'], { env, maxBuffer: 16 << 20 });
    await install();
  }
  // The packages start their own daemons on the default ports; the stack runs its own instead.
  for (const unit of packages) await run('service', [unit, 'stop'], { env }).catch(() => undefined);
}
