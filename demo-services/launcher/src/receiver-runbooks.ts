/**
 * The runbooks (`alerts/runbooks/*.md`) as HTML pages, so a runbook link in an alert opens on a
 * machine with no network. Each heading gets the anchor the alert rules link to: the one
 * `headingAnchor` in alerts/lib/runbooks.ts computes (GitHub's), with `-1`, `-2` for repeats as
 * `markdownAnchors` counts them, so `…/runbooks/slo.md#availabilityerrorbudgetburn` lands on its
 * section. Markdown is rendered by `marked`; raw HTML in a runbook is shown as text, and links
 * that only work inside the repository (`../slo.rules.yml`) keep their text and lose the link.
 */
import { readFile, readdir } from 'node:fs/promises';
import { Marked } from 'marked';
import type { Tokens } from 'marked';
import { RUNBOOKS_DIR, headingAnchor } from '../../../alerts/lib/runbooks.ts';
import { escapeHtml, htmlPage } from './receiver-html.ts';

export { RUNBOOKS_DIR };

/** A runbook's file name as a URL names it: lower case, digits and hyphens, `.md`. */
const RUNBOOK_FILE = /^[a-z0-9][a-z0-9-]*\.md$/;

/** The runbook files in `dir`, sorted. */
export async function listRunbooks(dir: string = RUNBOOKS_DIR): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => RUNBOOK_FILE.test(name)).sort();
  } catch {
    return [];
  }
}

/** Where a link in a runbook may point from its page: a section, another runbook, or the web. */
function servedHref(href: string): string | undefined {
  if (href.startsWith('#')) return href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return /^(https?|mailto):/i.test(href) ? href : undefined;
  const [file] = href.split('#');
  return file !== undefined && RUNBOOK_FILE.test(file) ? href : undefined;
}

/** Renders one runbook's markdown: its title (the first heading), its HTML, and each heading's anchor in order. */
export function renderRunbook(markdown: string): { title: string; html: string; anchors: string[] } {
  const anchors: string[] = [];
  const seen = new Map<string, number>();
  let title = '';
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading(this: { parser: { parseInline(tokens: Tokens.Heading['tokens']): string } }, token: Tokens.Heading): string {
        const base = headingAnchor(token.text);
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        const id = count === 0 ? base : `${base}-${count}`;
        anchors.push(id);
        const inner = this.parser.parseInline(token.tokens);
        if (!title) title = token.text.replace(/[`*_]/g, '');
        return `<h${token.depth} id="${escapeHtml(id)}"><a href="#${escapeHtml(id)}">${inner}</a></h${token.depth}>\n`;
      },
      html(token: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(token.text);
      },
      link(this: { parser: { parseInline(tokens: Tokens.Link['tokens']): string } }, token: Tokens.Link): string {
        const text = this.parser.parseInline(token.tokens);
        const href = servedHref(token.href);
        if (!href) return `<span title="${escapeHtml(token.href)}">${text}</span>`;
        return `<a href="${escapeHtml(href)}"${token.title ? ` title="${escapeHtml(token.title)}"` : ''}>${text}</a>`;
      },
    },
  });
  const html = marked.parse(markdown, { async: false });
  return { title, html, anchors };
}

/** The HTML page of the runbook `file` in `dir`, or `undefined` when there is no such runbook. */
export async function runbookPage(file: string, dir: string = RUNBOOKS_DIR): Promise<string | undefined> {
  if (!RUNBOOK_FILE.test(file) || !(await listRunbooks(dir)).includes(file)) return undefined;
  let markdown: string;
  try {
    markdown = await readFile(`${dir}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
  const { title, html } = renderRunbook(markdown);
  return htmlPage(title || file, html);
}

/** The page listing every runbook. */
export async function runbookIndexPage(dir: string = RUNBOOKS_DIR): Promise<string> {
  const files = await listRunbooks(dir);
  const items = files.map((file) => `<li><a href="${escapeHtml(file)}">${escapeHtml(file)}</a></li>`).join('\n');
  return htmlPage('Runbooks', `<h1>Runbooks</h1>\n${files.length > 0 ? `<ul>\n${items}\n</ul>` : '<p class="empty">No runbooks found.</p>'}`);
}
