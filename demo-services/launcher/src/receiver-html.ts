/**
 * The HTML the receiver serves is built here: escaping, the one page shell its pages share, and
 * the headers every page is sent with (a content security policy that allows no script, so text
 * that came in a webhook can never run as code even if it slipped past the escaping).
 */

const ENTITIES: Readonly<Record<string, string>> = Object.freeze({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' });

/** Escapes text for an HTML text node or a double- or single-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** `url` when it is an absolute http(s) URL (safe in an `href`), else `undefined`. */
export function httpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Headers of every HTML page the receiver sends. */
export const HTML_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
});

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; color: #1d2328; }
nav { font-size: 13px; margin-bottom: 1rem; } nav a { margin-right: 1rem; }
code, pre { font: 13px/1.4 ui-monospace, monospace; background: #f3f4f6; border-radius: 3px; }
code { padding: 0 .2em; } pre { padding: .6rem .8rem; overflow-x: auto; } pre code { padding: 0; background: none; }
table { border-collapse: collapse; } th, td { border: 1px solid #d0d5db; padding: .2rem .5rem; text-align: left; vertical-align: top; }
h2 { border-bottom: 1px solid #d0d5db; padding-bottom: .2rem; margin-top: 2rem; }
.firing { color: #b42318; font-weight: 600; } .resolved { color: #027a48; font-weight: 600; }
.notification { border: 1px solid #d0d5db; border-radius: 4px; padding: .5rem .8rem; margin: .8rem 0; }
.notification h3 { margin: 0 0 .3rem; font-size: 15px; } .meta { color: #5b6570; font-size: 13px; }
.alert { margin: .4rem 0 0 .5rem; } .empty { color: #5b6570; }
`;

/** A whole page: `title` (plain text) and `body` (HTML the caller built with {@link escapeHtml}); `refreshSeconds` reloads it. */
export function htmlPage(title: string, body: string, refreshSeconds?: number): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ...(refreshSeconds ? [`<meta http-equiv="refresh" content="${Math.round(refreshSeconds)}">`] : []),
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`,
    '<body><nav><a href="/">Notifications</a><a href="/runbooks/">Runbooks</a></nav>',
    body,
    '</body></html>',
    '',
  ].join('\n');
}
