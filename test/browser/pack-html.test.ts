import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPackHtml } from '../../functions/packs/formats/html';
import { samplePack } from '../fixtures/sample-pack';

/** Debian's Chromium; `.ci/run` installs it when it is missing. */
const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/** Screenshots for a person to look at; the folder is git-ignored. */
const SCREENSHOTS = new URL('./screenshots/', import.meta.url);

const page = new TextDecoder().decode(renderPackHtml(samplePack));
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
});

afterAll(async () => {
  await browser.close();
});

describe('the pack page in Chromium', () => {
  it('has no WCAG 2.2 AA violations that axe-core can find, at phone and desktop widths', async () => {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const tab = await context.newPage();
      await tab.setContent(page, { waitUntil: 'load' });

      const results = await new AxeBuilder({ page: tab })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
        .analyze();

      expect(
        results.violations.map(({ id, nodes }) => ({ id, targets: nodes.map((node) => node.target) })),
      ).toEqual([]);
      expect(results.passes.map((rule) => rule.id)).toEqual(
        expect.arrayContaining([
          'color-contrast',
          'th-has-data-cells',
          'svg-img-alt',
          'scrollable-region-focusable',
        ]),
      );
      // Reflow (WCAG 1.4.10): only a wide table scrolls sideways, inside its own region, never the page.
      const pageWidth: unknown = await tab.evaluate('document.documentElement.scrollWidth');
      expect(pageWidth).toBe(width);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await tab.screenshot({ path: new URL(`pack-${width}.png`, SCREENSHOTS).pathname, fullPage: true });
      await context.close();
    }
  });

  it('makes no network request: the page works offline once downloaded', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const requests: string[] = [];
    tab.on('request', (request) => requests.push(request.url()));
    await context.route('**/*', (route) => route.abort());

    await tab.setContent(page, { waitUntil: 'load' });

    expect(requests).toEqual([]);
    // The govuk-frontend CSS applied: an extra-large GOV.UK heading at desktop width, not the browser's 32px.
    const headingSize: unknown = await tab.evaluate(
      "getComputedStyle(document.querySelector('h1')).fontSize",
    );
    expect(headingSize).toBe('48px');
    await context.close();
  });

  it('pairs each table with its chart and names each header cell for assistive technology', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.setContent(page, { waitUntil: 'load' });

    const captions = await tab.locator('table > caption').allTextContents();
    const pairs = await tab.locator('.app-table-pair').all();

    expect(captions).toEqual(
      samplePack.sections
        .flatMap((section) => section.tables)
        .map((table, i) => `Table ${i + 1}: ${table.title}`),
    );
    await expect(tab.locator('th:not([scope])').count()).resolves.toBe(0);
    expect(pairs).toHaveLength(captions.length);
    for (const [i, pair] of pairs.entries()) {
      await expect(pair.locator('table').count()).resolves.toBe(1);
      await expect(pair.locator('svg[role="img"]').getAttribute('aria-labelledby')).resolves.toBe(
        `table-${i + 1}-chart-title table-${i + 1}-chart-desc`,
      );
    }
    await expect(tab.getByRole('img', { name: 'Bar chart of table 2' }).count()).resolves.toBe(1);
    await context.close();
  });

  it('prints without the contents list', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.setContent(page, { waitUntil: 'load' });

    await tab.emulateMedia({ media: 'print' });

    await expect(tab.locator('.app-contents').isVisible()).resolves.toBe(false);
    await expect(tab.locator('table').first().isVisible()).resolves.toBe(true);
    const pdf = await tab.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  });
});
