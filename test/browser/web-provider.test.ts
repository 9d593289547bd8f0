import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WELLBEING_PULSE_V1 } from '../../shared/domain/questionnaires';
import { newSession, SESSION_COOKIE, sessionCookie, sessionKeys } from '../../functions/web/session';
import { startTestApi } from '../support/environment';
import { launchChromium, scanPage, signInAs, webContext } from '../support/web';

/**
 * Provider staff in a real browser, against the local stack's handlers: the web function's pages
 * calling the API over HTTP with the signed-in user's token, DynamoDB Local behind it.
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

const pulses = async (site: string) =>
  (await api.scan('RECORDS_TABLE')).filter((item) => item.pk === `PULSE#${site}`);

async function answerAll(page: Page, choice: string, except: string[] = []) {
  for (const item of WELLBEING_PULSE_V1.items) {
    if (except.includes(item.id)) continue;
    await page
      .getByRole('group', { name: new RegExp(item.text.replace('.', '\\.')) })
      .getByLabel(choice, { exact: true })
      .check();
  }
}

describe('the weekly check-in, for provider staff', () => {
  it(
    'is done end to end: an error summary linked to the missing answers, the typed values kept, then saved and replaced',
    { timeout: 180_000 },
    async () => {
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      const cspErrors: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
      });
      await signInAs(page, { role: 'provider', site: 'yorkshire-humber', user: 'pat' });
      await expect(page.locator('h1').textContent()).resolves.toBe('What you can do');
      await scanPage(page, 'start-provider');

      await page.getByRole('link', { name: 'Weekly wellbeing check-in' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Weekly wellbeing check-in');
      await expect(page.getByText('this check-in replaces it').count()).resolves.toBe(1);
      await scanPage(page, 'check-in');

      await answerAll(page, 'Agree', ['safety', 'caseload']);
      await page.getByLabel(/Anything else about your week/).fill('A long week of home visits');
      await page.getByRole('button', { name: 'Send check-in' }).click();

      await expect(page.title()).resolves.toMatch(/^Error: /);
      const summary = page.locator('.govuk-error-summary');
      await expect(summary.getByRole('link').allTextContents()).resolves.toEqual([
        'Select how much you agree: My caseload was manageable',
        'Select how much you agree: I felt safe working with the people I support',
      ]);
      await expect(page.getByLabel(/Anything else about your week/).inputValue()).resolves.toBe(
        'A long week of home visits',
      );
      await expect(
        page
          .getByRole('group', { name: /I felt supported/ })
          .getByLabel('Agree', { exact: true })
          .isChecked(),
      ).resolves.toBe(true);
      await scanPage(page, 'check-in-error');
      await summary.getByRole('link', { name: /My caseload/ }).click();
      await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('answers-caseload');

      await page
        .getByRole('group', { name: /My caseload/ })
        .getByLabel('Disagree', { exact: true })
        .check();
      await page
        .getByRole('group', { name: /I felt safe/ })
        .getByLabel('Strongly agree', { exact: true })
        .check();
      await page.getByRole('button', { name: 'Send check-in' }).click();

      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'Check-in saved. Thank you.',
      );
      await scanPage(page, 'check-in-saved');
      const stored = await pulses('yorkshire-humber');
      expect(stored).toHaveLength(1);
      expect(stored[0]?.answers).toMatchObject({ caseload: 2, safety: 5, supported: 4 });

      await answerAll(page, 'Neither');
      await page.getByRole('button', { name: 'Send check-in' }).click();
      await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
        'It replaced your earlier check-in this week.',
      );
      expect(await pulses('yorkshire-humber')).toHaveLength(1);
      expect(cspErrors).toEqual([]);
      await context.close();
    },
  );

  it('can be done with the keyboard alone', async () => {
    const context = await webContext(browser, api.url);
    const page = await context.newPage();
    await signInAs(page, { role: 'provider', site: 'north-east', user: 'kim' });
    await page.goto('/site/north-east/check-in');
    const focused = () => page.evaluate("document.activeElement?.getAttribute('name') ?? ''");

    for (const item of WELLBEING_PULSE_V1.items) {
      for (let presses = 0; (await focused()) !== `answers-${item.id}`; presses += 1) {
        expect(presses, `reaching ${item.id} with Tab`).toBeLessThan(40);
        await page.keyboard.press('Tab');
      }
      // Space chooses the focused (first) answer; an arrow key moves to the next and chooses it.
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Tab');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
      'Check-in saved.',
    );
    const [stored] = await pulses('north-east');
    expect(stored?.answers).toEqual(Object.fromEntries(WELLBEING_PULSE_V1.items.map((item) => [item.id, 4])));
    expect(stored?.comment).toBe('Typed without a mouse');
    await context.close();
  });

  it('works with JavaScript turned off', async () => {
    const context = await webContext(browser, api.url, { javaScript: false });
    const page = await context.newPage();
    await signInAs(page, { role: 'provider', site: 'london', user: 'ola' });
    await page.goto('/site/london/check-in');
    await expect(page.locator('body').getAttribute('class')).resolves.not.toContain('js-enabled');

    await page.getByRole('button', { name: 'Send check-in' }).click();
    await expect(page.locator('.govuk-error-summary li').count()).resolves.toBe(
      WELLBEING_PULSE_V1.items.length,
    );
    await answerAll(page, 'Strongly agree');
    await page.getByRole('button', { name: 'Send check-in' }).click();

    await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
      'Check-in saved.',
    );
    expect(await pulses('london')).toHaveLength(1);
    await context.close();
  });
});

describe('the session, its cookie and the page headers', () => {
  it('keeps the session in an encrypted, HttpOnly, Secure, SameSite=Lax __Host- cookie, and sends the security headers', async () => {
    const context = await webContext(browser, api.url);
    const page = await context.newPage();
    await signInAs(page, { role: 'provider', site: 'london', user: 'cookie-check' });
    const [session] = (await context.cookies()).filter((c) => c.name === SESSION_COOKIE);
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    expect(session?.value).not.toMatch(/^eyJ/);
    expect(session?.value).not.toContain('.eyJ');
    await expect(page.evaluate('document.cookie')).resolves.toBe('');

    const response = await page.goto('/site/london/check-in');
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['content-security-policy']).toMatch(/form-action 'self'/);
    expect(headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(headers).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    expect(headers['strict-transport-security']).toMatch(/max-age=\d{8}/);
    expect(headers['permissions-policy']).toMatch(/camera=\(\)/);
    // The inline js-enabled snippet runs under the policy (by hash), and govuk-frontend's script loads.
    await expect(page.locator('body').getAttribute('class')).resolves.toContain('govuk-frontend-supported');
    const css = await page.request.get('/assets/govuk-frontend.min.css');
    expect(css.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    await context.close();
  });

  it('refuses a form without the session’s CSRF token with the 403 page, and saves nothing', async () => {
    const context = await webContext(browser, api.url);
    const page = await context.newPage();
    await signInAs(page, { role: 'provider', site: 'london', user: 'csrf-check' });
    const before = (await pulses('london')).length;
    await page.goto('/site/london/check-in');
    await page.evaluate("document.querySelector('input[name=csrfToken]').value = 'forged'");
    await answerAll(page, 'Agree');
    const response = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Send check-in' }).click(),
    ]).then(([r]) => r);
    expect(response.status()).toBe(403);
    await expect(page.locator('h1').textContent()).resolves.toBe('You do not have access to this page');
    expect(await pulses('london')).toHaveLength(before);
    await context.close();
  });

  it('says "You have been signed out" once the ID token has expired', { timeout: 120_000 }, async () => {
    const keys = sessionKeys(
      Buffer.from(readFileSync(join(api.dataDir, 'web-session.key'), 'utf8').trim(), 'base64'),
    );
    const idToken = await api.issuer.sign({
      role: 'provider',
      site: 'london',
      user: 'late',
      expiresInSeconds: 60,
    });
    const issued = new Date(Date.now() - 61_000);
    const session = newSession(idToken, {
      expiresAt: Math.floor(issued.getTime() / 1000) + 60,
      roles: ['provider'],
      site: 'london',
      name: 'late',
    });
    const cookie = sessionCookie(keys, session, issued).split(';')[0] ?? '';

    const answer = await fetch(`${api.url}/site/london/check-in`, {
      headers: { cookie },
      redirect: 'manual',
    });

    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/signed-out');
    expect(answer.headers.getSetCookie()).toEqual([
      expect.stringMatching(new RegExp(`^${SESSION_COOKIE}=; Max-Age=0;`)),
    ]);
    const context = await webContext(browser, api.url);
    const page = await context.newPage();
    await page.goto('/signed-out');
    await expect(page.locator('h1').textContent()).resolves.toBe('You have been signed out');
    await scanPage(page, 'signed-out');
    await context.close();
  });

  it('signs out: the cookie is gone and the pages ask to sign in again', { timeout: 120_000 }, async () => {
    const context = await webContext(browser, api.url);
    const page = await context.newPage();
    await signInAs(page, { role: 'provider', site: 'london', user: 'leaver' });
    // At phone width the service navigation folds behind its Menu button.
    const menu = page.getByRole('button', { name: 'Menu' });
    if (await menu.isVisible()) await menu.click();
    await page.getByRole('link', { name: 'Sign out' }).click();
    await scanPage(page, 'sign-out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('You have been signed out');
    expect((await context.cookies()).filter((c) => c.name === SESSION_COOKIE)).toEqual([]);
    await page.goto('/site/london/check-in');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await scanPage(page, 'sign-in');
    await context.close();
  });
});

describe('who can reach which page', () => {
  it(
    "gives a provider the 403 page for another site's pages, and a practitioner for the check-in",
    { timeout: 120_000 },
    async () => {
      const context = await webContext(browser, api.url);
      const page = await context.newPage();
      await signInAs(page, { role: 'provider', site: 'london', user: 'nosy' });
      for (const path of ['/site/north-east/check-in', '/site/yorkshire-humber/check-in']) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(403);
        await expect(page.locator('h1').textContent()).resolves.toBe('You do not have access to this page');
      }
      await scanPage(page, 'forbidden');
      await context.close();

      const practitioner = await webContext(browser, api.url);
      const tab = await practitioner.newPage();
      await signInAs(tab, { role: 'practitioner', site: 'london', user: 'pia' });
      await expect(tab.getByRole('link', { name: 'Weekly wellbeing check-in' }).count()).resolves.toBe(0);
      expect((await tab.goto('/site/london/check-in'))?.status()).toBe(403);
      await practitioner.close();
    },
  );
});
