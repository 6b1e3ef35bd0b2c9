import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mixedReportInChromium } from './browser-helpers.js';

/**
 * A finding's mark carries no copy of its message (that copy was most of a large report's bytes):
 * one tooltip shows the message, from the list under the picture, when the mark is hovered or
 * reached by the keyboard, and the mark is named by that message for a screen reader, with scripts
 * off too. Event marks are named by their entry in the events list (event-list-browser.test.ts).
 */
describe('the finding marks\' tooltip, in Chromium', () => {
  const report = mixedReportInChromium();

  const mark = (page: Page) => page.locator('section[data-customer="bakery-oven"] svg a[data-kind="promise.broken"]');
  const messageOf = async (page: Page) => {
    const target = (await mark(page).getAttribute('href')) ?? '#none';
    return (await page.locator(`li${target}`).innerText()).split('\n').at(-1) ?? '';
  };

  it('shows the message of a hovered mark next to it, in one tooltip, and hides it when the pointer leaves', async () => {
    const page = await report.open();
    const message = await messageOf(page);
    expect(message).toMatch(/^The promise by dispatch .* had not been kept when that time passed\.$/);
    const tip = page.getByRole('tooltip');
    expect(await tip.count()).toBe(0);
    await mark(page).hover();
    await expect(tip.innerText()).resolves.toContain(message);
    await expect(tip.innerText()).resolves.toMatch(/^CRITICAL\s+Tue 5 Mar 2024 12:00/);
    const [markBox, tipBox] = [await mark(page).boundingBox(), await tip.boundingBox()];
    // Its dark box just under the mark, not over it (a clear edge above bridges the two for the pointer).
    const shown = tipBox!.y + (await tip.evaluate((e) => parseFloat((e.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { borderTopWidth: string } }).getComputedStyle(e).borderTopWidth)));
    expect(shown).toBeGreaterThanOrEqual(markBox!.y + markBox!.height);
    expect(shown).toBeLessThan(markBox!.y + markBox!.height + 20);
    expect(tipBox!.y).toBeLessThanOrEqual(markBox!.y + markBox!.height);
    expect(tipBox!.x + tipBox!.width).toBeLessThanOrEqual(1280);
    // The pointer can move onto the tooltip (to read or select it) without it going away (WCAG 1.4.13).
    await page.mouse.move(tipBox!.x + 10, tipBox!.y + 5, { steps: 4 });
    expect(await tip.isVisible()).toBe(true);
    // Another mark: the same tooltip, its text.
    await page.locator('section[data-customer="bakery-oven"] svg a[data-kind="survey.due"]').hover();
    expect(await page.locator('[role="tooltip"]').count()).toBe(1);
    await expect(tip.innerText()).resolves.toContain('Ask the customer about');
    await page.mouse.move(5, 5);
    expect(await tip.isVisible()).toBe(false);
    await page.context().close();
  });

  it('shows it when the keyboard reaches the mark, and Escape dismisses it', async () => {
    const page = await report.open();
    const message = await messageOf(page);
    await mark(page).focus();
    const tip = page.getByRole('tooltip');
    await expect(tip.innerText()).resolves.toContain(message);
    await page.keyboard.press('Escape');
    expect(await tip.isVisible()).toBe(false);
    // Tab moves on to the next mark, which shows its own message.
    await page.keyboard.press('Tab');
    const next = (await page.locator(':focus').getAttribute('href')) ?? '';
    expect(next).toMatch(/^#customer-1-finding-\d+$/);
    await expect(tip.innerText()).resolves.toContain((await page.locator(`li${next}`).innerText()).split('\n').at(-1) ?? '-');
    await page.keyboard.press('Tab');
    await page.context().close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`names each finding mark by its message for a screen reader (scripts ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const page = await report.open(javaScriptEnabled);
      const message = await messageOf(page);
      const link = page.getByRole('link', { name: message });
      expect(await link.count()).toBe(1);
      expect(await link.getAttribute('data-kind')).toBe('promise.broken');
      await page.context().close();
    });
  }
});
