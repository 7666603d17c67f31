/** Runbook links: how rules write them, the anchors GitHub gives markdown headings, and resolving a runbook_url. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNBOOK_BASE_LABEL, RUNBOOK_BASE_URL } from '@periscope/stack';
import { ALERTS_DIR } from './rules.ts';

/**
 * How every rule's runbook_url starts: the Prometheus external label RUNBOOK_BASE_LABEL when the
 * Prometheus sets it (the demo points it at the runbooks its receiver serves), else the public
 * base. Prometheus expands it when the alert fires.
 */
export const RUNBOOK_URL_PREFIX = `{{ or $externalLabels.${RUNBOOK_BASE_LABEL} "${RUNBOOK_BASE_URL}" }}`;

/** The runbook_url of a rule: a section of one runbook. */
export function runbookUrl(file: string, anchor: string): string {
  return `${RUNBOOK_URL_PREFIX}${file}#${anchor}`;
}

/** The folder the runbooks live in. */
export const RUNBOOKS_DIR = join(ALERTS_DIR, 'runbooks');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of every heading of a markdown text (duplicates get -1, -2 as on GitHub). */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const match = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!match) continue;
    const base = headingAnchor(match[1]!);
    const count = seen.get(base) ?? 0;
    anchors.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  return anchors;
}

/**
 * Why a runbook_url does not resolve to a section of a runbook, or undefined when it does. `base`
 * is what the URL must start with: a rule's template prefix by default, or the base a running
 * Prometheus expanded it to.
 */
export function runbookLinkProblem(url: string, dir: string = RUNBOOKS_DIR, base: string = RUNBOOK_URL_PREFIX): string | undefined {
  if (!url.startsWith(base)) return `does not start with ${base}`;
  const match = /^([a-z0-9-]+\.md)#([a-z0-9-]+)$/.exec(url.slice(base.length));
  if (!match) return 'is not <file>.md#<anchor>';
  const [, file, anchor] = match;
  let markdown: string;
  try {
    markdown = readFileSync(join(dir, file!), 'utf8');
  } catch {
    return `names ${file}, which is not in ${dir}`;
  }
  return markdownAnchors(markdown).has(anchor!) ? undefined : `names #${anchor}, which is not a heading of ${file}`;
}
