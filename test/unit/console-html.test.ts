import { describe, expect, it } from 'vitest';
import { html, raw } from '../../src/http/console/html.js';
import { hasRole, seesConfidential } from '../../src/http/console/roles.js';
import { safeNext } from '../../src/http/console/routes/auth.js';
import { parseLink } from '../../src/http/console/routes/accounts.js';

describe('Staff console building blocks', () => {
  it('escapes every interpolated value, keeps SafeHtml, joins arrays and drops null/false', () => {
    const name = '<script>alert("x")</script>&\'`';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;</p>',
    );
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}${raw('<br>')}`.value).toBe('0<br>');
  });

  it('orders roles and gives confidential tickets to senior and head only', () => {
    expect(hasRole('admin', 'head')).toBe(true);
    expect(hasRole('staff', 'senior')).toBe(false);
    expect(['staff', 'senior', 'head', 'admin'].map((r) => seesConfidential(r as 'staff'))).toEqual([false, true, true, false]);
  });

  it('follows only local console paths after sign-in (no open redirect)', () => {
    expect(safeNext('/console/complaints?status=baru')).toBe('/console/complaints?status=baru');
    for (const bad of ['https://evil.example/console', '//evil.example', '/consolex', '/console/../x"><script>', undefined]) expect(safeNext(bad)).toBe('/console');
  });

  it('reads a chat link as the bot knows the person', () => {
    expect(parseLink('telegram:-100500:9001')).toEqual({ channel: 'telegram', userKey: '-100500:9001', chatId: '9001' });
    expect(parseLink('whatsapp:6281234567890')).toEqual({ channel: 'whatsapp', userKey: '6281234567890', chatId: '6281234567890' });
    expect(parseLink('')).toBeNull();
    expect(parseLink('sms:123')).toBeUndefined();
  });
});
