// Builds the dashboard's one self-contained HTML page and the Content-Security-Policy that pins it.

import { createHash } from 'node:crypto';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_STYLE } from './dashboard-style.js';

/** What the page is built from. */
export interface DashboardPageOptions {
  readonly title: string;
  /** Where the admin API is mounted; `undefined` leaves the buttons out. */
  readonly adminPath: string | undefined;
}

/** The page and the headers to serve it with. */
export interface DashboardPage {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** JSON that is safe inside a `<script>` element (no `<`, no line separators). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Builds the page once: inline CSS and script (no CDN, no build step), its configuration as JSON
 * data, and a Content-Security-Policy that allows exactly that script and style, connections to
 * the page's own origin (the event stream and the admin API), and nothing else.
 */
export function buildDashboardPage(options: DashboardPageOptions): DashboardPage {
  const title = escapeHtml(options.title);
  const config = scriptJson({ title: options.title, adminPath: options.adminPath ?? null });
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · circuit breakers</title>
<style>${DASHBOARD_STYLE}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<div id="summary" class="summary"></div>
<div id="status" class="status" data-state="connecting">connecting…</div>
</header>
<main>
<section><h2>Breakers</h2><div id="breakers" class="grid"></div><p id="no-breakers" class="muted">No breakers yet.</p></section>
<section><h2>Keyed families</h2><div id="families"></div><p id="no-families" class="muted">No keyed breakers.</p></section>
<section><h2>Recent transitions</h2><ol id="transitions" class="transitions"></ol><p id="no-transitions" class="muted">No transitions yet.</p></section>
</main>
<div id="toast" class="toast" role="status"></div>
<script type="application/json" id="bw-config">${config}</script>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(DASHBOARD_SCRIPT)}`,
    `style-src ${sha256(DASHBOARD_STYLE)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const body = Buffer.from(html, 'utf8');
  return {
    body,
    headers: Object.freeze({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(body.length),
      'Cache-Control': 'no-store',
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    }),
  };
}
