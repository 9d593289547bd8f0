import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPITAL_CHECK_V1 } from '../../shared/domain/questionnaires';
import { uniqueRef } from '../support/capital';
import { startTestApi } from '../support/environment';
import { launchChromium, scanPage, signInAs, webContext } from '../support/web';

/** The provider's capital check in a real browser, against the local stack's handlers and DynamoDB Local. */
const api = await startTestApi();
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  await api.stop();
});

describe('the capital check, for provider staff', () => {
  it('saves a baseline after an error summary that keeps what was typed', { timeout: 180_000 }, async () => {
    const ref = uniqueRef('CAP');
    const context = await webContext(browser, api.url);
    const page = await context.newPage();
    await signInAs(page, { role: 'provider', site: 'yorkshire-humber', user: 'fay' });
    await page.getByRole('link', { name: 'Capital check' }).click();
    await scanPage(page, 'capital-check');

    await page.getByLabel('Your reference for the person').fill(ref);
    await page.getByLabel('Baseline (the first check)').check();
    await page.getByLabel('Day', { exact: true }).fill('6');
    await page.getByLabel('Month', { exact: true }).fill('1');
    await page.getByLabel('Year', { exact: true }).fill('2025');
    await page.getByLabel('26 to 35').check();
    const { barriers, needs, strengths } = CAPITAL_CHECK_V1.sections;
    for (const item of [...barriers.items, ...needs.items]) {
      await page.getByRole('group', { name: item.text }).getByLabel('No').check();
    }
    const [first, ...others] = strengths.domains;
    for (const domain of others) {
      await page
        .getByRole('group', { name: `${domain.title}: ${domain.text}` })
        .getByLabel('Some')
        .check();
    }
    await page.getByRole('button', { name: 'Save capital check' }).click();

    await expect(page.title()).resolves.toMatch(/^Error: /);
    const summary = page.locator('.govuk-error-summary').getByRole('link');
    await expect(summary.allTextContents()).resolves.toEqual([
      `Select how much the person has of: ${first.title.toLowerCase()}`,
    ]);
    await expect(page.getByLabel('Your reference for the person').inputValue()).resolves.toBe(ref);
    await expect(page.getByLabel('26 to 35').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Year', { exact: true }).inputValue()).resolves.toBe('2025');
    await summary.first().click();
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe(`strengths-${first.id}`);
    await scanPage(page, 'capital-check-error');

    await page
      .getByRole('group', { name: `${first.title}: ${first.text}` })
      .getByLabel('A little')
      .check();
    await page.getByRole('button', { name: 'Save capital check' }).click();
    await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
      'Baseline check saved.',
    );
    const stored = (await api.scan('RECORDS_TABLE')).filter(
      (item) =>
        String(item.pk).includes('yorkshire-humber') &&
        item.kind === 'baseline' &&
        item.date === '2025-01-06',
    );
    expect(stored).toHaveLength(1);
    await context.close();
  });
});
