/** The frontend's HTML: the home page listing recent thoughts, and its error page. Every value is escaped. */

/** What the home page shows of a thought. */
export interface PageThought {
  id: string;
  author: string;
  text: string;
  createdAt: string;
}

const ENTITIES: Readonly<Record<string, string>> = Object.freeze({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' });

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function layout(title: string, body: string, requestId: string | undefined): string {
  const id = escapeHtml(requestId ?? 'unknown');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
li { margin: 0 0 .75rem; list-style: none; } ul { padding: 0; }
.meta { color: #666; font-size: .85rem; } footer { margin-top: 2rem; color: #666; font-size: .85rem; }
code { background: #f3f3f3; padding: 0 .25rem; }
</style>
</head>
<body>
${body}
<footer>Request ID <code>${id}</code> &middot; trace it with <code>npx periscope trace ${id}</code></footer>
</body>
</html>
`;
}

/** The home page: the most recent thoughts. */
export function homePage(thoughts: readonly PageThought[], total: number, requestId: string | undefined): string {
  const items = thoughts
    .map((t) => `<li>${escapeHtml(t.text)}<div class="meta">@${escapeHtml(t.author)} &middot; <time datetime="${escapeHtml(t.createdAt)}">${escapeHtml(t.createdAt)}</time></div></li>`)
    .join('\n');
  return layout('Thoughts', `<h1>Thoughts</h1>\n<p class="meta">${thoughts.length} most recent of ${total}</p>\n<ul>\n${items}\n</ul>`, requestId);
}

/** The page shown when the home page cannot be built (a backend failed). */
export function errorPage(status: number, message: string, requestId: string | undefined): string {
  return layout(`Thoughts: error ${status}`, `<h1>Something went wrong (${status})</h1>\n<p>${escapeHtml(message)}</p>`, requestId);
}
