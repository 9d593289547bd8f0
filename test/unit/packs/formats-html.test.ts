import { describe, expect, it } from 'vitest';
import { offlineGovukCss } from '../../../functions/packs/formats/govuk-css-source';
import { renderPackHtml } from '../../../functions/packs/formats/html';
import {
  GOVUK_FRONTEND_CSS,
  GOVUK_FRONTEND_VERSION,
} from '../../../functions/packs/formats/templates/govuk-frontend-css';
import type { Pack } from '../../../functions/packs/pack-model';
import { samplePack } from '../../fixtures/sample-pack';

const html = (pack: Pack = samplePack): string => new TextDecoder().decode(renderPackHtml(pack));

describe('the pack as an HTML page', () => {
  it('is self-contained: no script, nothing loaded from elsewhere, links only within the page', () => {
    const page = html();

    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(page).not.toMatch(/\s(src|srcset|action)=/i);
    const links = [...page.matchAll(/href="([^"]*)"/g)].map((match) => match[1] ?? '');
    expect(links).toHaveLength(samplePack.sections.length + 2); // the skip link, the contents, the symbols
    for (const link of links) expect(link).toMatch(/^#[a-z0-9-]+$/);
    for (const link of links) expect(page).toContain(`id="${link.slice(1)}"`);
  });

  it('inlines the govuk-frontend CSS generated from the installed package', () => {
    const { css, version } = offlineGovukCss();

    expect(GOVUK_FRONTEND_VERSION).toBe(version);
    expect(GOVUK_FRONTEND_CSS).toBe(css);
    expect(html()).toContain(`<style>${css}</style>`);
  });

  it('gives every table a numbered caption and every header cell a scope', () => {
    const page = html();
    const tables = samplePack.sections.flatMap((section) => section.tables);

    expect(page.match(/<table /g)).toHaveLength(tables.length);
    tables.forEach((table, i) => {
      expect(page).toContain(
        `id="table-${i + 1}">Table ${i + 1}: ${table.title.replaceAll('"', '&quot;')}</caption>`,
      );
    });
    const headers = [...page.matchAll(/<th( [^>]*)?>/g)].map((match) => match[1] ?? '');
    expect(headers.length).toBeGreaterThan(40);
    for (const attributes of headers) expect(attributes).toMatch(/ scope="(col|row)"/);
  });

  it('pairs each chart with its table and gives it a text alternative holding every figure it draws', () => {
    const page = html();
    const pairs = page.split('<div class="app-table-pair">').slice(1);

    expect(pairs).toHaveLength(7);
    for (const pair of pairs) {
      expect(pair.indexOf('<svg')).toBeLessThan(pair.indexOf('<table'));
      expect(pair).toMatch(
        /<svg class="app-chart__svg" role="img" aria-labelledby="(table-\d+)-chart-title \1-chart-desc"/,
      );
    }
    expect(pairs[1]).toContain(
      '<desc id="table-2-chart-desc">People with a baseline check: Yorkshire and the Humber: 25, North East: 20, London: 30. People with a follow-up check: Yorkshire and the Humber: 10, North East: [c] (confidential), London: [c] (confidential).</desc>',
    );
  });

  it('explains each symbol where it is used and in a key', () => {
    const page = html();

    expect(page).toContain('[c]<span class="govuk-visually-hidden"> (confidential)</span>');
    expect(page).toContain('Symbols: [c] confidential.');
    expect(page).toContain(
      '<dt class="govuk-summary-list__key">[x]</dt><dd class="govuk-summary-list__value">not available: no data, or too few people to compute it</dd>',
    );
  });

  it('formats figures as GOV.UK writes them', () => {
    const page = html();

    expect(page).toContain('>1,456</td>');
    expect(page).toContain('>70%</td>');
    expect(page).toContain('>-1</td>');
  });

  it('escapes the text of the pack, quotes included', () => {
    const [first, ...rest] = samplePack.sections;
    if (first === undefined) throw new Error('fixture changed');
    const pack = {
      ...samplePack,
      sections: [{ ...first, paragraphs: ['<script>alert(1)</script>'] }, ...rest],
    };

    const page = html(pack);

    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('we&#39;ll start again next week');
  });

  it('has print styles', () => {
    expect(html()).toMatch(/@media print\{[^}]*\.app-contents\{display:none\}/);
  });
});
