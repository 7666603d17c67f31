import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTargetFile, targetFile, writeTargetFile } from '../src/file-targets.ts';

let dir: string | undefined;
const freshDir = () => (dir = path.join(mkdtempSync(path.join(tmpdir(), 'periscope-targets-')), 'targets'));
afterEach(() => {
  if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
  dir = undefined;
});

describe('target files', () => {
  it('writes one file per job with one target group, job and team among its labels, creating the folder', () => {
    const folder = freshDir();
    const file = writeTargetFile(folder, 'billing', '127.0.0.1:7000', { team: 'payments' });
    expect(file).toBe(path.join(folder, 'billing.json'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([{ targets: ['127.0.0.1:7000'], labels: { team: 'payments', job: 'billing' } }]);
    expect(readdirSync(folder)).toEqual(['billing.json']);
  });

  it('replaces the file of a job written again, and removes it (twice is fine)', () => {
    const folder = freshDir();
    writeTargetFile(folder, 'users', '127.0.0.1:8081');
    writeTargetFile(folder, 'users', '127.0.0.1:9081');
    expect(JSON.parse(readFileSync(targetFile(folder, 'users'), 'utf8'))).toEqual([{ targets: ['127.0.0.1:9081'], labels: { job: 'users' } }]);
    removeTargetFile(folder, 'users');
    removeTargetFile(folder, 'users');
    expect(existsSync(targetFile(folder, 'users'))).toBe(false);
  });

  it.each([
    [['../etc', '127.0.0.1:1'], 'job "../etc" is not usable: expected letters, digits, ".", "_" or "-", starting with a letter or digit'],
    [['', '127.0.0.1:1'], 'job "" is not usable: expected letters, digits, ".", "_" or "-", starting with a letter or digit'],
    [['app', 'http://127.0.0.1:1'], 'target "http://127.0.0.1:1" of job "app" is not host:port (e.g. 127.0.0.1:8081)'],
    [['app', '127.0.0.1'], 'target "127.0.0.1" of job "app" is not host:port (e.g. 127.0.0.1:8081)'],
    [['app', '127.0.0.1:70000'], 'target "127.0.0.1:70000" of job "app" is not host:port (e.g. 127.0.0.1:8081)'],
    [['app', '127.0.0.1:1', { 'periscope.team': 'x' }], 'label "periscope.team" of job "app" is not a Prometheus label name (e.g. team)'],
    [['app', '127.0.0.1:1', { __address__: 'x' }], 'label "__address__" of job "app" is not a Prometheus label name (e.g. team)'],
    [['app', '127.0.0.1:1', { job: 'other' }], 'label "job" of job "app" is set from the job argument; leave it out of the labels'],
  ] as const)('refuses %j', (args, message) => {
    const folder = freshDir();
    const [job, hostPort, labels] = args as unknown as [string, string, Record<string, string> | undefined];
    expect(() => writeTargetFile(folder, job, hostPort, labels)).toThrow(new Error(message));
    expect(existsSync(folder)).toBe(false);
  });
});
