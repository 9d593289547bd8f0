import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, toIsoDate } from '../../shared/domain/iso-week';
import { capitalBody, uniqueRef } from '../support/capital';
import { client } from '../support/client';
import { startTestApi } from '../support/environment';
import { launchChromium, scanPage, signInAs, webContext } from '../support/web';

/**
 * The practitioner's barrier report and the provider's monthly return and follow-up list in a real
 * browser, against the local stack's handlers and DynamoDB Local.
 */
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

const records = async (prefix: string) =>
  (await api.scan('RECORDS_TABLE')).filter((item) => String(item.pk).startsWith(prefix));

describe('the referral barrier report, for practitioners', () => {
  it(
    'is sent end to end, after an error summary for the unanswered questions that keeps what was chosen',
    { timeout: 180_000 },
    async () => {
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, { role: 'practitioner', site: 'north-east', user: 'pip' });
      await scanPage(page, 'start-practitioner');
      await page.getByRole('link', { name: 'Report a referral barrier' }).click();
      await scanPage(page, 'barrier-report');

      await page.getByLabel('Probation practitioner').check();
      await page.getByLabel('Workload leaves no time to refer').check();
      await page.getByLabel('A named link worker to contact').check();
      await page.getByLabel('Anything else? (optional)').fill('Caseloads are high this quarter');
      await page.getByRole('button', { name: 'Send report' }).click();

      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expect(page.locator('.govuk-error-summary').getByRole('link').allTextContents()).resolves.toEqual(
        [
          'Select where this report comes from',
          'Select whether you are referring people to the service',
          "Select how much 'Workload leaves no time to refer' holds referrals back",
        ],
      );
      await expect(page.getByLabel('Probation practitioner').isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('A named link worker to contact').isChecked()).resolves.toBe(true);
      await expect(page.getByLabel('Anything else? (optional)').inputValue()).resolves.toBe(
        'Caseloads are high this quarter',
      );
      await scanPage(page, 'barrier-report-error');

      await page.getByLabel('Reported by the person themselves').check();
      await page
        .getByRole('group', { name: /Are you \(or your team\) referring/ })
        .getByLabel('Sometimes')
        .check();
      await page
        .getByRole('group', { name: 'How much does this hold referrals back?' })
        .first()
        .getByLabel('A lot', { exact: true })
        .check();
      await page.getByRole('button', { name: 'Send report' }).click();

      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'Report sent.',
      );
      const [stored] = await records('BARRIER#north-east');
      expect(stored).toMatchObject({
        reporterRole: 'probation-practitioner',
        source: 'self-report',
        referring: 'sometimes',
        barriers: [{ code: 'workload', severity: 'high' }],
        enablers: ['link-worker-contact'],
      });
      await context.close();
    },
  );

  it("gives a practitioner the 403 page for another site's report and for provider pages", async () => {
    const context = await webContext(browser, api.url);
    const page = await context.newPage();
    await signInAs(page, { role: 'practitioner', site: 'london', user: 'pru' });
    for (const path of [
      '/site/north-east/barrier-report',
      '/site/london/engagement-return',
      '/site/london/follow-ups',
    ]) {
      expect((await page.goto(path))?.status(), path).toBe(403);
    }
    await context.close();
  });
});

describe('provider pages beyond the check-in', () => {
  it(
    'sends a monthly return after fixing the figures the API refuses, and replaces it when sent again',
    { timeout: 180_000 },
    async () => {
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, { role: 'provider', site: 'london', user: 'ren' });
      await page.getByRole('link', { name: 'Monthly engagement return' }).click();
      await scanPage(page, 'engagement-return');
      const fill = async (figures: Record<string, string>) => {
        for (const [label, value] of Object.entries(figures)) {
          await page.getByLabel(label, { exact: true }).first().fill(value);
        }
      };
      await page.getByLabel('Month', { exact: true }).fill('3');
      await page.getByLabel('Year', { exact: true }).fill('2025');
      await fill({ 'Referrals received this month': '6', 'Cases open on the last day of the month': '9' });
      const groups = [
        'Initial appointments (first assessments)',
        'One-to-one sessions after the initial appointment',
      ];
      for (const [i, group] of groups.entries()) {
        const fieldset = page.getByRole('group', { name: group });
        await fieldset.getByLabel('Booked to take place this month').fill(i === 0 ? '2' : '20');
        await fieldset.getByLabel('Attended', { exact: true }).fill(i === 0 ? '4' : '15');
        await fieldset.getByLabel('Not attended (DNA)').fill('1');
        await fieldset.getByLabel('Cancelled').fill('0');
      }
      await fill({ 'Cases closed because the person completed': '1' });
      await page.getByRole('button', { name: 'Send return' }).click();

      await expect(page.title()).resolves.toMatch(/^Error: /);
      const summary = page.locator('.govuk-error-summary').getByRole('link');
      await expect(summary.allTextContents()).resolves.toEqual([
        'Enter the number of cases closed for any other reason',
      ]);
      await expect(page.getByLabel('Referrals received this month').inputValue()).resolves.toBe('6');
      await scanPage(page, 'engagement-return-error');

      await fill({ 'Cases closed for any other reason': '0' });
      await page.getByRole('button', { name: 'Send return' }).click();
      // More outcomes (4 + 1) than bookings (2): the API's consistency rule, shown at the group.
      const [consistency] = await summary.allTextContents();
      expect(consistency).toMatch(/initial appointments/i);
      await summary.first().click();
      await expect(page.evaluate('document.activeElement?.id')).resolves.toMatch(/^initialAppointments-/);

      await page
        .getByRole('group', { name: groups[0] })
        .getByLabel('Booked to take place this month')
        .fill('5');
      await page.getByRole('button', { name: 'Send return' }).click();
      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'Return for 2025-03 saved.',
      );
      expect(await records('ENGAGEMENT#london')).toHaveLength(1);

      await page.getByLabel('Month', { exact: true }).fill('3');
      await page.getByLabel('Year', { exact: true }).fill('2025');
      await fill({ 'Referrals received this month': '7', 'Cases open on the last day of the month': '9' });
      for (const group of groups) {
        const fieldset = page.getByRole('group', { name: group });
        for (const label of [
          'Booked to take place this month',
          'Attended',
          'Not attended (DNA)',
          'Cancelled',
        ]) {
          await fieldset.getByLabel(label, { exact: true }).fill('0');
        }
      }
      await fill({
        'Cases closed because the person completed': '0',
        'Cases closed for any other reason': '0',
      });
      await page.getByRole('button', { name: 'Send return' }).click();
      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'It replaced the figures sent earlier for that month.',
      );
      expect(await records('ENGAGEMENT#london')).toHaveLength(1);
      await context.close();
    },
  );

  it(
    'lists follow-ups due and overdue by the provider’s own reference, and filters them',
    { timeout: 120_000 },
    async () => {
      const today = new Date();
      const due = uniqueRef('DUE');
      const overdue = uniqueRef('LATE');
      const as = { role: 'provider' as const, site: 'yorkshire-humber' as const, user: 'fay' };
      for (const [ref, daysAgo] of [
        [due, 85],
        [overdue, 120],
      ] as const) {
        const answer = await http.request('POST', '/sites/yorkshire-humber/capital-assessments', {
          as,
          body: capitalBody(ref, { date: addDays(toIsoDate(today), -daysAgo), ageBand: '26-35' }),
        });
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      }
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, as);
      await page.getByRole('link', { name: 'Follow-ups due and overdue' }).click();
      const cells = await page.locator('tbody th').allTextContents();
      expect(cells.map((c) => c.trim()).sort()).toEqual([due, overdue].sort());
      await scanPage(page, 'follow-ups');
      await page.getByRole('link', { name: 'Overdue', exact: true }).click();
      await expect(page.locator('tbody th').allTextContents()).resolves.toEqual([overdue]);
      await context.close();
    },
  );
});
