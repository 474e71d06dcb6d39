// buildDashboardPage(): one page with everything inline, escaped configuration, a CSP pinning its script.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildDashboardPage } from './dashboard-page.js';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';

describe('buildDashboardPage', () => {
  it('pins exactly its inline script in the Content-Security-Policy', () => {
    const page = buildDashboardPage({ title: 'Breakwater', adminPath: undefined });
    const hash = createHash('sha256').update(DASHBOARD_SCRIPT).digest('base64');
    expect(page.headers['Content-Security-Policy']).toContain(`script-src 'sha256-${hash}'`);
    expect(page.headers['Content-Length']).toBe(String(page.body.length));
    expect(page.body.toString()).toContain(`<script>${DASHBOARD_SCRIPT}</script>`);
  });

  it('cannot be broken out of by the title', () => {
    const title = '</script><script>alert(1)</script>';
    const html = buildDashboardPage({ title, adminPath: '/admin' }).body.toString();
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain('"title":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"');
    expect(html).toContain('"adminPath":"/admin"');
  });

  it('leaves the admin buttons out without an adminPath', () => {
    const html = buildDashboardPage({ title: 'x', adminPath: undefined }).body.toString();
    expect(html).toContain('"adminPath":null');
  });

  it('parses as a script', () => {
    expect(() => new Function(DASHBOARD_SCRIPT)).not.toThrow();
  });
});
