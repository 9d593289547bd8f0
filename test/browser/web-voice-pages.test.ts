import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client';
import { startTestApi } from '../support/environment';
import { createInterest } from '../support/voice';
import { launchChromium, scanPage, signInAs, webContext } from '../support/web';

/** The pages around the feedback links: the provider's queue, the summary, and "you said, we did". */
const api = await startTestApi();
const http = client(api);
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  await api.stop();
});

describe('the pages around the feedback links', () => {
  it(
    'shows a provider the reference of a person who would talk, and an evaluator only the queue',
    { timeout: 300_000 },
    async () => {
      await createInterest(http, 'london', 'LDN-0777');
      const staff = await webContext(browser, api.url);
      const provider = await staff.newPage();
      provider.setDefaultTimeout(20_000);
      await signInAs(provider, { role: 'provider', site: 'london', user: 'sam' });
      await provider.getByRole('link', { name: 'People who would talk to a researcher' }).click();
      await expect(provider.getByText('LDN-0777', { exact: true }).count()).resolves.toBe(1);
      await scanPage(provider, 'involvement-interest-provider');
      await staff.close();

      const evaluators = await webContext(browser, api.url);
      const evaluator = await evaluators.newPage();
      evaluator.setDefaultTimeout(20_000);
      await signInAs(evaluator, { role: 'evaluator', user: 'eve' });
      await evaluator.goto('/site/london/involvement-interest');
      await expect(evaluator.locator('h1').innerText()).resolves.toBe(
        'People who would talk to a researcher',
      );
      await expect(evaluator.getByText('LDN-0777').count()).resolves.toBe(0);
      await expect(evaluator.getByText('Waiting', { exact: true }).count()).resolves.toBe(1);
      await scanPage(evaluator, 'involvement-interest-evaluator');
      await evaluators.close();
    },
  );

  it(
    'lets an evaluator read the summary and record a change, with a validation error first',
    { timeout: 300_000 },
    async () => {
      const evaluators = await webContext(browser, api.url);
      const evaluator = await evaluators.newPage();
      evaluator.setDefaultTimeout(20_000);
      await signInAs(evaluator, { role: 'evaluator', user: 'eve' });
      await evaluator.getByRole('link', { name: 'What people using the service said' }).click();
      await expect(evaluator.locator('h1').innerText()).resolves.toBe('What people using the service said');
      await scanPage(evaluator, 'feedback-summary');
      await evaluator.getByLabel('Quarter').fill('2999-Q1');
      await evaluator.getByRole('button', { name: 'Show' }).click();
      await expect(
        evaluator.locator('.govuk-error-summary').getByRole('link').allTextContents(),
      ).resolves.toEqual(['Enter a quarter that has ended']);

      await evaluator.goto('/you-said-we-did');
      await expect(evaluator.getByText('No changes have been recorded yet.').count()).resolves.toBe(1);
      await scanPage(evaluator, 'changes-empty');
      await evaluator.getByRole('link', { name: 'Record a change' }).click();
      await evaluator
        .getByLabel('What did people say?')
        .fill('The Monday drop-in clashed with probation appointments.');
      await evaluator.getByRole('button', { name: 'Record the change' }).click();
      await expect(evaluator.title()).resolves.toMatch(/^Error: /);
      await expect(evaluator.getByLabel('What did people say?').inputValue()).resolves.toContain(
        'Monday drop-in',
      );
      await scanPage(evaluator, 'add-change-error');
      await evaluator
        .getByLabel('What changed because of it?')
        .fill('The drop-in moved to Wednesday afternoons.');
      await evaluator.getByLabel('When did it change?').fill('2026-03-04');
      await evaluator.getByLabel('London').check();
      await evaluator.getByRole('button', { name: 'Record the change' }).click();
      await expect(evaluator.getByText('Change recorded.').count()).resolves.toBe(1);
      await expect(evaluator.getByText('The drop-in moved to Wednesday afternoons.').count()).resolves.toBe(
        1,
      );
      await scanPage(evaluator, 'changes');
      await evaluators.close();
    },
  );
});
