/**
 * The local discovery convention (FILE_SD of @periscope/stack): Prometheus' `services` job reads
 * every `*.json` file of one folder, and each file holds the target groups of one job. Writing a
 * file there is how any process — a demo service, a test's own app — gets scraped; deleting it
 * stops the scraping. The launcher writes one file per service it starts.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROUTING_LABEL } from '@periscope/stack';

/** One file_sd target group, as Prometheus reads it. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

/** A job name that is also a safe file name (it names the job's file). */
const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** A Prometheus label name; those starting with `__` are Prometheus' own and are not accepted. */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `host:port`, the form of a file_sd target (no scheme, no path). */
const HOST_PORT = /^[^\s:/]+:\d{1,5}$/;

/** Throws an `Error` when `job` cannot name a file of the folder (it could reach outside it). */
function checkJob(job: string): void {
  if (!JOB_NAME.test(job)) throw new Error(`job "${job}" is not usable: expected letters, digits, ".", "_" or "-", starting with a letter or digit`);
}

/** The file that holds `job`'s target groups in `dir`. */
export function targetFile(dir: string, job: string): string {
  checkJob(job);
  return path.join(dir, `${job}.json`);
}

/**
 * The target group of `job` at `hostPort`. `labels` become target labels (for example `team`,
 * which Alertmanager routes by); `job` is set from the first argument only.
 * Throws an `Error` naming the argument when a value is not usable.
 */
export function targetGroup(job: string, hostPort: string, labels: Readonly<Record<string, string>> = {}): TargetGroup {
  checkJob(job);
  const port = Number(hostPort.split(':').at(-1));
  if (!HOST_PORT.test(hostPort) || port < 1 || port > 65535) throw new Error(`target "${hostPort}" of job "${job}" is not host:port (e.g. 127.0.0.1:8081)`);
  for (const name of Object.keys(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`label "${name}" of job "${job}" is not a Prometheus label name (e.g. ${ROUTING_LABEL.team})`);
    if (name === 'job') throw new Error(`label "job" of job "${job}" is set from the job argument; leave it out of the labels`);
  }
  return { targets: [hostPort], labels: { ...labels, job } };
}

/**
 * Writes `job`'s file in `dir` (created when missing) and returns its path. The file is written
 * beside and renamed into place, so Prometheus, which watches the folder, never reads half of it.
 */
export function writeTargetFile(dir: string, job: string, hostPort: string, labels?: Readonly<Record<string, string>>): string {
  const group = targetGroup(job, hostPort, labels);
  mkdirSync(dir, { recursive: true });
  const file = targetFile(dir, job);
  // A name outside the `*.json` pattern while it is being written.
  const partial = path.join(dir, `.${job}.json.partial`);
  writeFileSync(partial, `${JSON.stringify([group], null, 2)}\n`);
  renameSync(partial, file);
  return file;
}

/** Deletes `job`'s file from `dir`, if there is one; Prometheus drops its targets on the next refresh. */
export function removeTargetFile(dir: string, job: string): void {
  const file = targetFile(dir, job);
  if (existsSync(file)) rmSync(file);
}
