/**
 * The baseline: the SLO rules as they were generated per service before they became generic
 * (alerts/slo.rules.yml at commit 6e42901, two groups of 11 rules for each of the demo's three
 * services). The `users` groups are repeated for every synthetic service with its job put in,
 * which is what that generator wrote for a service with users' objectives (99.9 %, 99 % within
 * 0.25 s). Prometheus loads them beside the other shipped rule files instead of slo.rules.yml.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SyntheticService } from './services.ts';

/** The commit whose alerts/slo.rules.yml is the last per-service one. */
export const BASELINE_COMMIT = '6e42901';
const TEMPLATE_JOB = 'users';

/** The two groups of `users` in the old file, as text (each line indented under `groups:`). */
export function templateGroups(oldFile: string): string {
  const start = oldFile.indexOf(`  - name: periscope.slo.${TEMPLATE_JOB}.availability`);
  if (start < 0) throw new Error(`the rules of ${BASELINE_COMMIT} have no group periscope.slo.${TEMPLATE_JOB}.availability`);
  const text = oldFile.slice(start);
  const next = text.slice(1).search(/\n {2}- name: periscope\.slo\.(?!users\.)/);
  return next < 0 ? text : text.slice(0, next + 1);
}

/** The old generator's rules for every service: its two groups, with `users` replaced by the service's job. */
export function perServiceRules(oldFile: string, services: readonly SyntheticService[]): string {
  const template = templateGroups(oldFile).replace(/\n*$/, '\n');
  const word = new RegExp(`\\b${TEMPLATE_JOB}\\b`, 'g');
  return `groups:\n${services.map((s) => template.replace(word, s.job)).join('')}`;
}

/** alerts/slo.rules.yml of the baseline commit, from git. */
export function baselineFile(repoRoot: string): string {
  return execFileSync('git', ['show', `${BASELINE_COMMIT}:alerts/slo.rules.yml`], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

/** Every shipped alerts/*.rules.yml but the generic SLO rules. */
export function shippedRulesWithoutSlo(repoRoot: string): string[] {
  return readdirSync(join(repoRoot, 'alerts'))
    .filter((f) => f.endsWith('.rules.yml') && f !== 'slo.rules.yml')
    .sort()
    .map((f) => join(repoRoot, 'alerts', f));
}
