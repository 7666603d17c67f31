/**
 * Shipped docs speak to users: no reference to the project's issue tracker ("issue 12",
 * "(issue …", "#123" used as an issue number) in any README, docs/ page, runbook or CHANGELOG;
 * and the docs that ship in a package tarball (its README and CHANGELOG) and the performance
 * report name no commit of this repository. A '#' in a URL or a link target is an anchor, not an
 * issue.
 */
import { spawnSync } from 'node:child_process';
import { globSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const SHIPPED = ['**/README.md', 'docs/**/*.md', 'alerts/runbooks/**/*.md', '**/CHANGELOG.md']
  .flatMap((pattern) => globSync(pattern, { cwd: ROOT, exclude: (f) => f === 'node_modules' || f === '.git' || f === '.ci' || f === '.periscope' }))
  .filter((f, i, all) => all.indexOf(f) === i && !f.split('/').includes('node_modules'))
  .sort();

/** Docs a user receives inside a package tarball, and the bench report. */
const IN_TARBALLS = ['packages/*/README.md', 'packages/*/CHANGELOG.md', 'stack/README.md', 'stack/CHANGELOG.md', 'docs/performance.md']
  .flatMap((pattern) => globSync(pattern, { cwd: ROOT }))
  .sort();

const ISSUE_REFERENCES: readonly RegExp[] = [
  /\bissues?\s+#?\d+/i, // issue 12, issue #12, issues 12 and 15
  /\(issues?\b/i, // (issue 12), (issue: …)
  /\bthe issue's\b/i, // "the issue's targets": a tracker item, not a problem
  /\b(?:pull request|PR|GH-?)\s*#?\d+/, // PR #12, GH-12
  /\b(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?|see|refs?)\s+#\d+/i, // fixes #12, see #12
  /(?:^|[\s([{,;:])#\d+\b/, // a bare #123 (not a heading: those are "# …"; not an anchor: URLs are taken out first)
];

/** The line with URLs, link targets and HTML anchors taken out, so their '#' fragments are not read. */
function withoutUrls(line: string): string {
  return line
    .replace(/\]\([^)]*\)/g, ']()')
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]"'`]+/gi, '')
    .replace(/\b(?:href|id|name)="[^"]*"/g, '');
}

/** `doc:line: text` for every line of the doc that refers to an issue. */
function issueReferences(doc: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    const bare = withoutUrls(line);
    return ISSUE_REFERENCES.some((re) => re.test(bare)) ? [`${doc}:${i + 1}: ${line.trim()}`] : [];
  });
}

/** Words of 7 to 40 hex digits (with at least one digit and one letter) that name a commit of this repository. */
function commitsNamed(text: string): string[] {
  const candidates = [...new Set(text.match(/\b[0-9a-f]{7,40}\b/g) ?? [])].filter((w) => /[0-9]/.test(w) && /[a-f]/.test(w));
  return candidates.filter((h) => spawnSync('git', ['cat-file', '-e', `${h}^{commit}`], { cwd: ROOT }).status === 0);
}

describe('shipped docs', () => {
  it('are found: the READMEs, docs/, the runbooks and the CHANGELOG', () => {
    expect(SHIPPED).toEqual(expect.arrayContaining(['README.md', 'packages/instrument/README.md', 'packages/instrument/CHANGELOG.md', 'docs/performance.md', 'alerts/runbooks/red.md']));
    expect(IN_TARBALLS).toEqual(expect.arrayContaining(['packages/instrument/README.md', 'packages/cli/README.md', 'stack/README.md']));
  });

  it('refer to no issue of the project tracker', () => {
    const found = SHIPPED.flatMap((doc) => issueReferences(doc, readFileSync(join(ROOT, doc), 'utf8')));
    expect(found).toEqual([]);
  });

  it('that ship in a package, and the performance report, name no commit of this repository', () => {
    const found = IN_TARBALLS.flatMap((doc) => commitsNamed(readFileSync(join(ROOT, doc), 'utf8')).map((h) => `${doc}: ${h}`));
    expect(found).toEqual([]);
  });

  it('the check finds issue references and lets URL anchors and headings through', () => {
    const hits = (line: string) => issueReferences('x.md', line).length;
    for (const line of ['against issue 18\'s targets', 'Cost per request (issue 18)', 'issues 12 and 15', 'fixed in #123', 'see #7', '(#42)', 'the issue\'s targets', 'PR #9'])
      expect({ line, hits: hits(line) }).toEqual({ line, hits: 1 });
    for (const line of [
      'see [Tracing](#tracing)',
      '[docs](../../docs/performance.md#performance)',
      'https://github.com/o/r/blob/main/src/a.ts#L12',
      '## 3. Setup',
      '# Title',
      'a known issue with HTTP/2',
      'color `#fff`',
      'step 2 of 3',
      '<a id="x12"></a>',
    ])
      expect({ line, hits: hits(line) }).toEqual({ line, hits: 0 });
    expect(commitsNamed(spawnSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout)).toHaveLength(1);
    expect(commitsNamed('sha512 deadbeef0 ffffff 0000000')).toEqual([]);
  });
});
