import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../../shared/domain/roles';
import type { SiteId } from '../../shared/domain/sites';

/** Debian's Chromium; `.ci/run` installs it when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/** The WCAG 2.0, 2.1 and 2.2 A and AA rules of axe-core. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
/** Screenshots for a person to look at; the folder is git-ignored. */
const SCREENSHOTS = new URL('../browser/screenshots/', import.meta.url);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

/**
 * A browser context on the local stack's pages, as a phone (390 px wide) unless told otherwise.
 * `javaScript: false` is a browser with JavaScript turned off.
 */
export function webContext(
  browser: Browser,
  baseURL: string,
  options: { readonly width?: number; readonly javaScript?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: { width: options.width ?? 390, height: 844 },
    javaScriptEnabled: options.javaScript ?? true,
  });
}

/** Signs in on the local sign-in page as a demo user, as a person would, and lands on the start page. */
export async function signInAs(
  page: Page,
  user: { readonly role: Role; readonly site?: SiteId; readonly user: string },
): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel(user.role, { exact: true }).check();
  if (user.site) await page.locator(`input[name="site"][value="${user.site}"]`).check();
  await page.getByLabel('Demo name').fill(user.user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe('/');
}

/**
 * Checks the page as it is with axe-core (WCAG 2.0/2.1/2.2 A and AA: no violations), at 390 px and
 * 1280 px, that it never scrolls sideways, and saves a full-page screenshot at each width as
 * `<name>-<width>.png`. The viewport is put back afterwards.
 */
export async function scanPage(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? { width: 390, height: 844 };
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    expect(
      results.violations.map(({ id, nodes }) => ({ id, targets: nodes.map((node) => node.target) })),
      `axe on ${name} at ${width}px`,
    ).toEqual([]);
    const scrollWidth: unknown = await page.evaluate('document.documentElement.scrollWidth');
    expect(scrollWidth, `${name} at ${width}px scrolls sideways`).toBe(width);
    await page.screenshot({ path: new URL(`${name}-${width}.png`, SCREENSHOTS).pathname, fullPage: true });
  }
  await page.setViewportSize(original);
}
