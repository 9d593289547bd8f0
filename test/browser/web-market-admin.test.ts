import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES, type PageSpec, mayOpen, pageHref } from '../../functions/web/pages';
import { WELLBEING_PULSE_V1 } from '../../shared/domain/questionnaires';
import { client } from '../support/client';
import { buildDraft, EVALUATOR_B, startPacksApi, testClock } from '../support/packs';
import { launchChromium, scanPage, signInAs, webContext } from '../support/web';

/**
 * Market users and admins in a real browser, against the local stack: a pack built, approved and
 * published through the API (its packs function on a clock the test moves), then listed and
 * downloaded through the pages; the programme paused and resumed, the disclosure policy changed
 * and the audit log read by an admin.
 */
const clock = testClock(new Date(Date.now() - 30 * 60_000));
const api = await startPacksApi({ clock });
const http = client(api);
let browser: Browser;
let packId = '';
let packSha256 = '';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const MARKET = { role: 'market' as const, user: 'bidder' };
const ADMIN = { role: 'admin' as const, user: 'ada' };

beforeAll(async () => {
  browser = await launchChromium();
  packId = await buildDraft(http);
  const approved = await http.request('POST', `/packs/${packId}/approve`, { as: EVALUATOR_B });
  if (approved.status !== 200) throw new Error(`Could not approve: ${approved.status}`);
  const releaseAt = new Date(clock.now().getTime() + 16 * 60_000).toISOString();
  const published = await http.request('POST', `/packs/${packId}/publish`, {
    as: EVALUATOR_B,
    body: { releaseAt },
  });
  if (published.status !== 200) throw new Error(`Could not publish: ${published.status}`);
  packSha256 = String(published.body.sha256);
}, 120_000);

afterAll(async () => {
  await browser.close();
  await api.stop();
});

async function answerAll(page: Page, choice: string) {
  for (const item of WELLBEING_PULSE_V1.items) {
    await page
      .getByRole('group', { name: new RegExp(item.text.replace('.', '\\.')) })
      .getByLabel(choice, { exact: true })
      .check();
  }
}

describe('published learning packs, for market users', () => {
  it(
    'lists a pack only from its release time, with its version, release and hash, and downloads each file from storage',
    { timeout: 180_000 },
    async () => {
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, { ...MARKET });
      await scanPage(page, 'start-market');
      await page.getByRole('link', { name: 'Published learning packs' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Published learning packs');
      await expect(page.getByText('No learning pack has been released yet.').count()).resolves.toBe(1);
      await expect(page.getByText(packSha256).count()).resolves.toBe(0);
      await scanPage(page, 'published-packs-none');

      clock.advanceMinutes(20);
      await page.reload();
      const pack = page.locator('section.app-pack');
      await expect(pack.count()).resolves.toBe(1);
      await expect(pack.locator('h2').textContent()).resolves.toContain('Early learning, first quarter');
      const details = await pack.locator('.govuk-summary-list').innerText();
      expect(details).toMatch(/Period\s+1 January 2025 to 31 March 2025/);
      expect(details).toMatch(/Sites\s+London, North East/);
      expect(details).toMatch(/Version\s+1/);
      expect(details).toContain(packSha256);
      await scanPage(page, 'published-packs');

      // The page answers 303 to the presigned address in storage: the file never passes through it.
      const dataLink = page.getByRole('link', { name: /Every figure as data \(JSON\)/ });
      const href = (await dataLink.getAttribute('href')) ?? '';
      const answer = await page.request.get(href, { maxRedirects: 0 });
      expect(answer.status()).toBe(303);
      const location = new URL(answer.headers().location ?? '');
      expect(location.origin).not.toBe(new URL(api.url).origin);
      expect(location.pathname).toContain(`/published/${packId}/v1/pack.json`);
      expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);

      // A person clicking the link gets the file, and its SHA-256 is the one the page shows.
      const [download] = await Promise.all([page.waitForEvent('download'), dataLink.click()]);
      expect(sha256(await readFile(await download.path()))).toBe(packSha256);
      const odsLink = page.getByRole('link', { name: /Spreadsheet \(ODS\)/ });
      const odsHash = await odsLink.locator('xpath=..').locator('code').textContent();
      const [ods] = await Promise.all([page.waitForEvent('download'), odsLink.click()]);
      expect(sha256(await readFile(await ods.path()))).toBe(odsHash);

      const downloads = (await api.scan('AUDIT_TABLE')).filter(
        (event) => event.subjectId === packId && String(event.action).startsWith('learning-pack.download.'),
      );
      // Every presigned address the API gives out is audited: the 303 checked above, and each click.
      expect(downloads.map((event) => event.action).sort()).toEqual([
        'learning-pack.download.json',
        'learning-pack.download.json',
        'learning-pack.download.ods',
      ]);
      await context.close();
    },
  );

  it(
    'marks a withdrawn pack, with the reason, and offers no download of it',
    { timeout: 120_000 },
    async () => {
      const withdrawn = await http.request('POST', `/packs/${packId}/withdraw`, {
        as: EVALUATOR_B,
        body: { reason: 'A table double counted the London referrals.' },
      });
      expect(withdrawn.status).toBe(200);
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, { ...MARKET, user: 'bidder-2' });
      await page.goto('/market/published-packs');
      await expect(page.locator('section.app-pack .govuk-tag').textContent()).resolves.toContain('Withdrawn');
      await expect(page.getByText(/A table double counted the London referrals/).count()).resolves.toBe(1);
      await expect(page.getByRole('link', { name: /Every figure as data/ }).count()).resolves.toBe(0);
      await scanPage(page, 'published-packs-withdrawn');
      const query = new URLSearchParams({ pack: packId, format: 'json' });
      const response = await page.goto(`/market/published-packs/download?${query.toString()}`);
      expect(response?.status()).toBe(409);
      await expect(page.locator('h1').textContent()).resolves.toBe('This learning pack was withdrawn');
      await scanPage(page, 'pack-withdrawn');
      const unknown = new URLSearchParams({ pack: packId, format: 'exe' });
      expect((await page.goto(`/market/published-packs/download?${unknown.toString()}`))?.status()).toBe(404);
      const missing = new URLSearchParams({ pack: 'no-such-pack', format: 'json' });
      expect((await page.goto(`/market/published-packs/download?${missing.toString()}`))?.status()).toBe(404);
      await context.close();
    },
  );

  it(
    'gives a market user the 403 page for every page of evidence or administration',
    { timeout: 180_000 },
    async () => {
      const market = { actor: '', roles: ['market' as const], site: undefined };
      const closed = (Object.values(PAGES) as PageSpec[]).filter((page) => !mayOpen(market, page, 'london'));
      const paths = closed.map((page) => pageHref(page, 'london'));
      expect(paths).toEqual(
        expect.arrayContaining(['/site/london/check-in', '/admin/audit', '/admin/programme']),
      );
      expect(paths).not.toContain(PAGES.publishedPacks.path);
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, { ...MARKET, user: 'bidder-3' });
      for (const path of paths) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(403);
        await expect(page.locator('h1').textContent()).resolves.toBe('You do not have access to this page');
      }
      const links = await page.goto('/');
      expect(links?.status()).toBe(200);
      await expect(page.locator('main a.govuk-link').allTextContents()).resolves.toEqual([
        'Published learning packs',
      ]);
      await context.close();
    },
  );
});

describe('the programme, for admins', () => {
  it(
    'is paused with a reason after a confirmation, refuses a check-in while paused, and is resumed',
    { timeout: 180_000 },
    async () => {
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, ADMIN);
      await scanPage(page, 'start-admin');
      await page.getByRole('link', { name: 'Pause or resume the programme' }).click();
      await expect(page.locator('.govuk-summary-list').innerText()).resolves.toMatch(/Running/);
      await scanPage(page, 'programme');

      await page.getByRole('button', { name: 'Continue to pause' }).click();
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expect(page.locator('.govuk-error-summary a').allTextContents()).resolves.toEqual([
        'Enter why the programme is paused: everyone whose submission is refused will see it',
      ]);
      await scanPage(page, 'programme-error');
      await page.locator('.govuk-error-summary a').click();
      await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('reason');
      await page.getByLabel('Why is the programme paused?').fill('Paused while the competition is open.');
      await page.getByRole('button', { name: 'Continue to pause' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe(
        'Are you sure you want to pause the programme?',
      );
      await expect(page.locator('.govuk-warning-text').textContent()).resolves.toContain(
        'every submission is refused',
      );
      await scanPage(page, 'programme-confirm');
      const before = await http.request('GET', '/programme', { as: ADMIN });
      expect(before.body.state).toBe('active');
      await page.getByRole('button', { name: 'Yes, pause the programme' }).click();
      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'The programme is paused.',
      );
      await scanPage(page, 'programme-paused');
      const paused = await http.request('GET', '/programme', { as: ADMIN });
      expect(paused.body).toMatchObject({
        state: 'paused',
        pausedReason: 'Paused while the competition is open.',
      });

      const provider = await webContext(browser, api.url);
      const tab = await provider.newPage();
      await signInAs(tab, { role: 'provider', site: 'london', user: 'sam' });
      await tab.goto('/site/london/check-in');
      await answerAll(tab, 'Agree');
      const [refused] = await Promise.all([
        tab.waitForResponse((r) => r.request().method() === 'POST'),
        tab.getByRole('button', { name: 'Send check-in' }).click(),
      ]);
      expect(refused.status()).toBe(423);
      await expect(tab.locator('h1').textContent()).resolves.toBe('The programme is paused');
      await expect(tab.getByText('Paused while the competition is open.').count()).resolves.toBe(1);
      const pulses = async () =>
        (await api.scan('RECORDS_TABLE')).filter((item) => item.pk === 'PULSE#london').length;
      expect(await pulses()).toBe(0);

      await page.getByRole('button', { name: 'Continue to resume' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe(
        'Are you sure you want to resume the programme?',
      );
      await scanPage(page, 'programme-confirm-resume');
      await page.getByRole('button', { name: 'Yes, resume the programme' }).click();
      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'The programme is running again.',
      );
      expect((await http.request('GET', '/programme', { as: ADMIN })).body.state).toBe('active');

      await tab.goto('/site/london/check-in');
      await answerAll(tab, 'Agree');
      await tab.getByRole('button', { name: 'Send check-in' }).click();
      await expect(tab.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'Check-in saved.',
      );
      expect(await pulses()).toBe(1);
      await provider.close();
      await context.close();
    },
  );
});

describe('the disclosure policy, for admins', () => {
  it(
    'shows the version in force and its history, and takes a new version after a validation error',
    { timeout: 180_000 },
    async () => {
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, { ...ADMIN, user: 'ada-policy' });
      await page.getByRole('link', { name: 'Disclosure policy' }).click();
      await expect(page.locator('h2').first().textContent()).resolves.toBe('Version 1, in force');
      await expect(page.getByLabel('Smallest count of people shown').inputValue()).resolves.toBe('10');
      await scanPage(page, 'disclosure-policy');

      await page.getByLabel('Smallest count of people shown').fill('1');
      await page.getByLabel('Round other counts of people to the nearest').fill('five');
      await page.getByLabel('Figures that are staff figures').fill('wellbeing.\nNot A Prefix');
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await expect(page.title()).resolves.toMatch(/^Error: /);
      await expect(page.locator('.govuk-error-summary a').allTextContents()).resolves.toEqual([
        'Smallest count of people shown must be 2 or more',
        'Round other counts of people to the nearest must be a whole number',
        'Figures that are staff figures: each line must be lower-case letters, digits and . : _ - (at most 20 lines)',
      ]);
      await expect(page.getByLabel('Round other counts of people to the nearest').inputValue()).resolves.toBe(
        'five',
      );
      await scanPage(page, 'disclosure-policy-error');
      await page.locator('.govuk-error-summary a').first().click();
      await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('minPeople');
      const unchanged = await http.request('GET', '/disclosure-policy', { as: ADMIN });
      expect((unchanged.body.current as { version: number }).version).toBe(1);

      await page.getByLabel('Smallest count of people shown').fill('12');
      await page.getByLabel('Round other counts of people to the nearest').fill('5');
      await page.getByLabel('Figures that are staff figures').fill('wellbeing.');
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'Version 2 of the disclosure policy is in force.',
      );
      await expect(page.locator('h2').nth(1).textContent()).resolves.toMatch(/^Version 2, in force since /);
      await expect(page.locator('main').innerText()).resolves.toContain(
        'Smallest count of people shown: 10 to 12',
      );
      await scanPage(page, 'disclosure-policy-saved');
      const saved = await http.request('GET', '/disclosure-policy', { as: ADMIN });
      expect(saved.body.current).toMatchObject({
        version: 2,
        minPeople: 12,
        roundTo: 5,
        staffRefPrefixes: ['wellbeing.'],
      });
      await context.close();
    },
  );
});

describe('the audit log, for admins', () => {
  it(
    'shows the pack downloads, pages back with the cursor, and explains a bad date',
    { timeout: 180_000 },
    async () => {
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, { ...ADMIN, user: 'ada-audit' });
      await page.getByRole('link', { name: 'Audit log' }).click();
      const table = page.locator('table.app-audit-table');
      const rows = await table.locator('tbody tr').allInnerTexts();
      expect(rows.some((row) => row.includes('learning-pack.download.json') && row.includes(packId))).toBe(
        true,
      );
      expect(rows.some((row) => row.includes('programme.pause'))).toBe(true);
      await scanPage(page, 'audit-log');

      await page.getByLabel('From').fill('2026-02-30');
      await page.getByRole('button', { name: 'Show events' }).click();
      await expect(page.locator('.govuk-error-summary a').allTextContents()).resolves.toEqual([
        'Enter the first day as a date, for example 2026-11-01',
      ]);
      await expect(page.getByLabel('From').inputValue()).resolves.toBe('2026-02-30');
      await scanPage(page, 'audit-log-error');

      // A period longer than one page reads (31 days) pages back with the API's signed cursor.
      const from = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel('From').fill(from);
      await page.getByRole('button', { name: 'Show events' }).click();
      await expect(page.locator('.govuk-error-summary').count()).resolves.toBe(0);
      await page.getByRole('link', { name: 'Older events' }).click();
      expect(new URL(page.url()).searchParams.get('cursor')).toMatch(/.+/);
      await expect(page.locator('h2').first().textContent()).resolves.toContain('older page');
      await scanPage(page, 'audit-log-older');
      await page.getByRole('link', { name: 'Back to the newest events' }).click();
      await expect(table.locator('tbody tr').count()).resolves.toBeGreaterThan(0);
      await context.close();
    },
  );
});
