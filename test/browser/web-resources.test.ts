import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/environment';
import { launchChromium, scanPage, signInAs, webContext } from '../support/web';

/**
 * The provider's community resource map and adding a resource, in a real browser against the local
 * stack's handlers and DynamoDB Local.
 */
const api = await startTestApi();
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  await api.stop();
});

const resources = async (site: string) =>
  (await api.scan('RECORDS_TABLE')).filter((item) => item.pk === `RESOURCE#${site}`);

describe('the community resource map, for provider staff', () => {
  it(
    'adds a resource after an error summary that keeps what was typed, and shows it on the map',
    { timeout: 180_000 },
    async () => {
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, { role: 'provider', site: 'london', user: 'ren' });
      await page.getByRole('link', { name: 'Community resource map' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Community resource map');
      await expect(page.getByText('No resources have been added yet.').isVisible()).resolves.toBe(true);
      await scanPage(page, 'resources-empty');
      await page.getByRole('button', { name: 'Add a community resource' }).click();
      await scanPage(page, 'add-resource');

      const name = 'Riverside Allotment Collective';
      await page.getByLabel('Name of the organisation or group').fill(name);
      await page.getByLabel('Small grassroots organisation').check();
      await page.getByRole('group', { name: 'Was it given seed funding?' }).getByLabel('Yes').check();
      await page.getByLabel('Seed funding given, in pounds (optional)').fill('lots');
      await page.getByLabel('Disabled people').check();
      await page.getByLabel('How many people have been linked to it so far?').fill('4');
      await page.getByRole('button', { name: 'Add resource' }).click();

      await expect(page.title()).resolves.toMatch(/^Error: /);
      const summary = page.locator('.govuk-error-summary').getByRole('link');
      await expect(summary.allTextContents()).resolves.toEqual([
        'Select whether the resource is new or already existed',
        'Enter the seed funding in whole pounds, up to £1,000,000',
        'Select whether anyone can go without a referral or membership',
      ]);
      await expect(page.getByLabel('Name of the organisation or group').inputValue()).resolves.toBe(name);
      await expect(page.getByLabel('Small grassroots organisation').isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('Disabled people').isChecked()).resolves.toBe(true);
      await expect(
        page.getByLabel('How many people have been linked to it so far?').inputValue(),
      ).resolves.toBe('4');
      await summary.nth(1).click();
      await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('seedFundingPounds');
      await scanPage(page, 'add-resource-error');

      await page.getByLabel('Generated during early testing').check();
      await page.getByLabel('Seed funding given, in pounds (optional)').fill('750');
      await page
        .getByRole('group', { name: 'Can anyone go, without a referral or membership?' })
        .getByLabel('Yes')
        .check();
      await page.getByRole('button', { name: 'Add resource' }).click();

      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        `${name} added to the map.`,
      );
      const card = page.locator('.govuk-summary-card', { hasText: name });
      await expect(card.textContent()).resolves.toMatch(/£750[\s\S]*Disabled people/);
      await scanPage(page, 'resources');
      expect(await resources('london')).toHaveLength(1);

      // The same organisation again is refused by the API, shown at the name, and nothing is stored.
      await page.getByRole('button', { name: 'Add a community resource' }).click();
      await page.getByLabel('Name of the organisation or group').fill('riverside allotment collective');
      await page.getByLabel('Small grassroots organisation').check();
      await page.getByLabel('Already existed; linked to').check();
      await page.getByRole('group', { name: 'Was it given seed funding?' }).getByLabel('No').check();
      await page
        .getByRole('group', { name: 'Can anyone go, without a referral or membership?' })
        .getByLabel('Yes')
        .check();
      await page.getByLabel('How many people have been linked to it so far?').fill('0');
      await page.getByRole('button', { name: 'Add resource' }).click();
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expect(page.locator('#organisationName-error').isVisible()).resolves.toBe(true);
      expect(await resources('london')).toHaveLength(1);
      await context.close();
    },
  );

  it("gives a provider the 403 page for another site's map", async () => {
    const context = await webContext(browser, api.url);
    const page = await context.newPage();
    await signInAs(page, { role: 'provider', site: 'london', user: 'ren' });
    for (const path of ['/site/north-east/resources', '/site/north-east/resources/add']) {
      expect((await page.goto(path))?.status(), path).toBe(403);
    }
    await context.close();
  });
});
