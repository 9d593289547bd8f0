import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/environment';
import { launchChromium, scanPage, signInAs, webContext } from '../support/web';

/**
 * Evaluators in a real browser, against the local stack: the web function's pages calling the
 * API over HTTP as the signed-in evaluator, DynamoDB Local, s3rver and the pack builder behind it.
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

const records = async (pk: string) => (await api.scan('RECORDS_TABLE')).filter((item) => item.pk === pk);
const heading = (page: Page) => page.locator('h1').first().textContent();
const summaryLinks = (page: Page) => page.locator('.govuk-error-summary').getByRole('link').allTextContents();

async function evaluator(user: string): Promise<Page> {
  const context = await webContext(browser, api.url);
  const page = await context.newPage();
  await signInAs(page, { role: 'evaluator', user });
  return page;
}

/** A UK date and time some hours from now, as the publish form's fields. */
function ukFieldsIn(hours: number) {
  const at = new Date(Date.now() + hours * 3_600_000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return { at, ...parts } as Record<string, string> & { at: Date };
}

async function fillFinding(page: Page, summary: string) {
  await page.getByLabel('Provider staff').check();
  await page.getByLabel('Focus group').check();
  await page.getByLabel('How many people took part?').fill('3');
  await page.locator('#date-day').fill('12');
  await page.locator('#date-month').fill('3');
  await page.locator('#date-year').fill('2026');
  await page.getByLabel(/How many texts, calls/).fill('2');
  await page.getByLabel('Names to remove (optional)').fill('Okafor');
  await page
    .getByLabel('Theme', { exact: true })
    .selectOption({ label: '4.5 Embedding in probation and prison work: Slow referrals' });
  await page.getByLabel('a. Housing').check();
  await page.getByLabel('A barrier: it gets in the way').check();
  await page.getByLabel('Summary', { exact: true }).fill(summary);
  await page.getByLabel('Quote 1 (optional)').fill('It took three weeks to hear back.');
  await page.getByLabel('Quote 1 may appear in a published pack').check();
}

describe('an evaluator records an interview finding', () => {
  it(
    'adds a theme (after an error), sees what redaction removes before saving, recovers from a missing consent, and saves',
    { timeout: 240_000 },
    async () => {
      const page = await evaluator('eve');
      await scanPage(page, 'start-evaluator');

      await page.getByRole('link', { name: 'Themes' }).click();
      await expect(heading(page)).resolves.toBe('Themes');
      await scanPage(page, 'themes');
      await page.getByRole('button', { name: 'Add theme' }).click();
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expect(summaryLinks(page)).resolves.toEqual([
        'Select the question area the theme belongs to',
        'Enter a theme name of up to 80 characters, with a letter or a digit',
      ]);
      await page.getByLabel('Theme name').fill('Slow referrals');
      await scanPage(page, 'themes-error');
      await page.getByLabel('4.5 ', { exact: false }).check();
      await expect(page.getByLabel('Theme name').inputValue()).resolves.toBe('Slow referrals');
      await page.getByRole('button', { name: 'Add theme' }).click();
      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'Theme added.',
      );
      await expect(page.getByText('Slow referrals').count()).resolves.toBe(1);

      await page.goto('/');
      await page.getByRole('link', { name: 'Interview findings' }).nth(2).click();
      expect(new URL(page.url()).pathname).toBe('/site/london/interviews');
      await expect(page.getByText('No findings have been recorded for London').count()).resolves.toBe(1);
      await scanPage(page, 'interviews-empty');
      await page.getByRole('button', { name: 'Record an interview finding' }).click();
      await scanPage(page, 'interview-form');

      const said = 'Mr Okafor said the referral took weeks; call him on 07700 900123 at home.';
      await fillFinding(page, said);
      await page.getByLabel('Consent was recorded', { exact: true }).uncheck();
      await page.getByRole('button', { name: 'Check what will be saved' }).click();

      await expect(heading(page)).resolves.toBe('Check what will be saved');
      const shown = await page.getByTestId('redacted').first().textContent();
      expect(shown).toContain('[name removed]');
      expect(shown).toContain('[phone number removed]');
      expect(shown).not.toContain('Okafor');
      expect(shown).not.toContain('07700');
      await expect(page.getByTestId('removed').first().textContent()).resolves.toMatch(
        /Removed: 1 phone number, 1 name\./,
      );
      await scanPage(page, 'interview-check');
      expect(await records('INTERVIEW#london')).toEqual([]);

      // Saving without consent: the form comes back with the error linked to the field, values kept.
      await page.getByRole('button', { name: 'Save finding' }).click();
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expect(summaryLinks(page)).resolves.toEqual([
        'Confirm that consent was recorded: a finding is only stored with recorded consent',
      ]);
      await expect(page.getByLabel('Summary', { exact: true }).inputValue()).resolves.toBe(said);
      await expect(page.getByLabel('Provider staff').isChecked()).resolves.toBe(true);
      await expect(page.locator('#date-month').inputValue()).resolves.toBe('3');
      await scanPage(page, 'interview-form-error');
      await page.locator('.govuk-error-summary').getByRole('link').first().click();
      await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('consent-recorded');
      expect(await records('INTERVIEW#london')).toEqual([]);

      await page.getByLabel('Consent was recorded', { exact: true }).check();
      await page.getByRole('button', { name: 'Check what will be saved' }).click();
      await page.getByRole('button', { name: 'Save finding' }).click();

      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'Removed before saving: 1 phone number, 1 name.',
      );
      await scanPage(page, 'interview');
      const [stored] = await records('INTERVIEW#london');
      const findings = stored?.findings as { summary: string; quotes: { publishable: boolean }[] }[];
      expect(findings[0]?.summary).toBe(shown);
      expect(findings[0]?.quotes).toEqual([{ text: 'It took three weeks to hear back.', publishable: true }]);
      expect(JSON.stringify(stored)).not.toContain('Okafor');

      await page.getByRole('link', { name: 'All findings for London' }).click();
      await expect(page.getByRole('link', { name: '12 March 2026' }).count()).resolves.toBe(1);
      await expect(page.getByText('Slow referrals').count()).resolves.toBe(1);
      await scanPage(page, 'interviews');
      await page.context().close();
    },
  );
});

/** Reloads an import's page (as its own refresh would) until the job has finished. */
async function untilImportFinished(page: Page): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    if ((await page.getByText('Your file is being imported.').count()) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await page.reload();
  }
  throw new Error('the import did not finish within a minute');
}

describe('an evaluator imports a CSV file', () => {
  it(
    'shows every bad row in the error summary and a table, then imports the corrected file',
    { timeout: 120_000 },
    async () => {
      const page = await evaluator('ivy');
      await page.goto('/site/north-east/import');
      await scanPage(page, 'import');
      const header =
        'month,referralsReceived,initialAppointments.booked,initialAppointments.attended,initialAppointments.notAttended,initialAppointments.cancelled,sessions.booked,sessions.attended,sessions.notAttended,sessions.cancelled,caseload,completions,withdrawals';
      const good = '2025-01,6,5,4,1,0,20,15,3,2,9,1,1';
      await page.getByLabel('Monthly engagement returns').check();
      await page.getByLabel('CSV file').setInputFiles({
        name: 'returns.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${header}\n${good}\n2025-13,x,5,4,1,0,20,15,3,2,9,1,1\n`),
      });
      await page.getByRole('button', { name: 'Import file' }).click();
      // The import runs as a background job: its page refreshes itself until the job has finished.
      await untilImportFinished(page);

      await expect(page.title()).resolves.toMatch(/^Error: /);
      const links = await summaryLinks(page);
      expect(links.length).toBeGreaterThanOrEqual(2);
      expect(links.every((text) => text.startsWith('Line 3, column '))).toBe(true);
      await expect(page.locator('#problems tbody tr').count()).resolves.toBe(links.length);
      await scanPage(page, 'import-error');
      expect(await records('ENGAGEMENT#north-east')).toEqual([]);

      // A corrected file is a new import, from a fresh form.
      await page.goto('/site/north-east/import');
      await page.getByLabel('Monthly engagement returns').check();
      await page.getByLabel('CSV file').setInputFiles({
        name: 'returns.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${header}\n${good}\n`),
      });
      await page.getByRole('button', { name: 'Import file' }).click();
      await untilImportFinished(page);
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        '1 rows imported.',
      );
      await scanPage(page, 'import-done');
      await page.context().close();
    },
  );
});

describe('the wellbeing summary', () => {
  it('offers a quarter picker and gives the reason a quarter that has not ended is refused', async () => {
    const page = await evaluator('wes');
    await page.goto('/evaluate/wellbeing');
    await expect(page.getByLabel('Quarter').count()).resolves.toBe(1);
    await scanPage(page, 'wellbeing-summary');
    const now = new Date();
    const current = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
    await page.getByLabel('Quarter').selectOption(current);
    await page.getByRole('button', { name: 'Show summary' }).click();
    expect(new URL(page.url()).searchParams.get('period')).toBe(current);
    const [reason] = await summaryLinks(page);
    expect(reason).toMatch(/^The summary for .* cannot be shown: ./);
    await expect(page.getByLabel('Quarter').inputValue()).resolves.toBe(current);
    await scanPage(page, 'wellbeing-summary-error');
    await page.context().close();
  });
});

describe('learning packs', () => {
  let packPath = '';

  it(
    'one evaluator builds (after an error), cannot approve their own pack and is told why; a second approves and publishes; then it is withdrawn',
    { timeout: 300_000 },
    async () => {
      const builder = await evaluator('bea');
      await builder.goto('/evaluate/packs');
      await scanPage(builder, 'packs-empty');
      await builder.getByRole('button', { name: 'Build a learning pack' }).click();
      await scanPage(builder, 'pack-build');
      await builder.locator('#from-day').fill('1');
      await builder.locator('#from-month').fill('1');
      await builder.locator('#from-year').fill('2026');
      await builder.locator('#to-day').fill('31');
      await builder.locator('#to-month').fill('12');
      await builder.locator('#to-year').fill('2025');
      await builder.getByRole('button', { name: 'Build pack' }).click();
      await expect(summaryLinks(builder)).resolves.toEqual([
        'Select at least one site',
        'The last day must be the same as or after the first day',
      ]);
      await expect(builder.locator('#from-year').inputValue()).resolves.toBe('2026');
      await scanPage(builder, 'pack-build-error');
      await builder.locator('#to-year').fill('2026');
      await builder.locator('#to-month').fill('3');
      await builder.getByLabel('London').check();
      await builder.getByLabel('North East').check();
      await builder.getByRole('button', { name: 'Build pack' }).click();

      packPath = new URL(builder.url()).pathname;
      expect(packPath).toMatch(/^\/evaluate\/packs\/[0-9a-f-]{36}$/);
      await expect
        .poll(
          async () => {
            await builder.reload();
            return builder.locator('.govuk-tag').first().textContent();
          },
          { timeout: 120_000, interval: 1000 },
        )
        .toMatch(/Draft/);
      await scanPage(builder, 'pack-draft');

      const preview = await builder.request.get(`${packPath}/preview?format=html`);
      expect(preview.status()).toBe(200);
      expect(preview.headers()['content-type']).toMatch(/^text\/html/);
      expect(await preview.text()).toContain('<html');
      const json = await builder.request.get(`${packPath}/preview?format=json`);
      expect(JSON.parse(await json.text())).toMatchObject({
        sites: expect.arrayContaining(['london', 'north-east']) as unknown,
      });
      const zip = await builder.request.get(`${packPath}/preview?format=csv`);
      expect((await zip.body()).subarray(0, 2).toString()).toBe('PK');

      await builder.getByRole('button', { name: 'Approve pack' }).click();
      await expect(summaryLinks(builder)).resolves.toEqual([
        expect.stringMatching(
          /^This pack cannot be approved by you: Four eyes: the evaluator who built a pack cannot approve it/,
        ),
      ]);
      await scanPage(builder, 'pack-approve-refused');

      const second = await evaluator('abe');
      await second.goto(packPath);
      await second.getByRole('button', { name: 'Approve pack' }).click();
      await expect(second.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'Pack approved.',
      );
      await second.getByRole('button', { name: 'Publish pack' }).click();
      await scanPage(second, 'pack-publish');
      await second.getByRole('button', { name: 'Publish pack' }).click();
      await expect(summaryLinks(second)).resolves.toEqual([
        'Enter the date and time the pack is released to the market',
      ]);
      const soon = ukFieldsIn(0.05);
      for (const [field, value] of [
        ['day', soon.day],
        ['month', soon.month],
        ['year', soon.year],
        ['hour', soon.hour],
        ['minute', soon.minute],
      ]) {
        await second.locator(`#release-${field ?? ''}`).fill(value ?? '');
      }
      await second.getByRole('button', { name: 'Publish pack' }).click();
      await expect(summaryLinks(second)).resolves.toEqual([
        expect.stringMatching(/^The release time cannot be used: ./),
      ]);
      await expect(second.locator('#release-hour').inputValue()).resolves.toBe(soon.hour);
      await scanPage(second, 'pack-publish-error');

      const later = ukFieldsIn(2);
      for (const [field, value] of [
        ['day', later.day],
        ['month', later.month],
        ['year', later.year],
        ['hour', later.hour],
        ['minute', later.minute],
      ]) {
        await second.locator(`#release-${field ?? ''}`).fill(value ?? '');
      }
      await second.getByRole('button', { name: 'Publish pack' }).click();
      await expect(second.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'Pack published.',
      );
      const [stored] = (await api.scan('RECORDS_TABLE')).filter(
        (item) => typeof item.pk === 'string' && item.pk.startsWith('PACK') && item.status === 'published',
      );
      const releaseAt = new Date(String(stored?.releaseAt));
      expect(Math.abs(releaseAt.getTime() - later.at.getTime())).toBeLessThan(60_000);
      await scanPage(second, 'pack-published');

      await second.getByRole('button', { name: 'Withdraw pack' }).click();
      await second.getByRole('button', { name: 'Withdraw pack' }).click();
      await expect(summaryLinks(second)).resolves.toEqual([
        'Enter the reason for withdrawing the pack, from 10 to 1,000 characters',
      ]);
      await scanPage(second, 'pack-withdraw-error');
      await second.getByLabel('Why is it being withdrawn?').fill('A figure for London was entered twice.');
      await second.getByRole('button', { name: 'Withdraw pack' }).click();
      await expect(second.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'Pack withdrawn.',
      );
      await expect(second.getByText('A figure for London was entered twice.').count()).resolves.toBe(1);

      await second.goto('/evaluate/packs');
      await expect(
        second.getByRole('link', { name: /Learning pack 1 January 2026|Learning pack 2026-01-01/ }).count(),
      ).resolves.toBe(1);
      await scanPage(second, 'packs');
      await second.context().close();
      await builder.context().close();
    },
  );

  it(
    'keeps market users and provider staff away from every evaluator page',
    { timeout: 120_000 },
    async () => {
      const [finding] = await records('INTERVIEW#london');
      const paths = [
        '/evaluate/themes',
        '/site/london/import',
        '/site/north-east/import',
        '/evaluate/wellbeing',
        '/evaluate/packs',
        '/evaluate/packs/build',
        '/site/london/interviews',
        '/site/london/interviews/record',
        ...(finding ? [`/site/london/interviews/${String(finding.sk)}`] : []),
        ...(packPath
          ? [packPath, `${packPath}/preview?format=json`, `${packPath}/publish`, `${packPath}/withdraw`]
          : []),
      ];
      for (const user of [
        { role: 'market' as const, user: 'mo' },
        { role: 'provider' as const, site: 'london' as const, user: 'pam' },
      ]) {
        // Provider staff import their own site's files: that page is theirs too, but no other site's.
        const refused = paths.filter((path) => user.role === 'market' || path !== '/site/london/import');
        const context = await webContext(browser, api.url);
        const page = await context.newPage();
        await signInAs(page, user);
        for (const label of ['Themes', 'Learning packs', 'Interview findings', 'Staff wellbeing summary']) {
          await expect(
            page.getByRole('link', { name: label, exact: true }).count(),
            `${user.role}: ${label}`,
          ).resolves.toBe(0);
        }
        for (const path of refused) {
          const response = await page.goto(path);
          expect(response?.status(), `${user.role} ${path}`).toBe(403);
          await expect(heading(page)).resolves.toBe('You do not have access to this page');
        }
        await context.close();
      }
    },
  );
});
