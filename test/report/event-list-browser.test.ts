import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mixedReportInChromium } from './browser-helpers.js';

/**
 * An event's details (a contact, a fix attempt, a promise…) were only in its mark's SVG <title>,
 * which neither Tab nor a screen reader reaches inside the picture (WCAG 2.1 SC 2.1.1, 1.1.1). Each
 * timeline is followed by a folded list of its events, reached with Tab and read as a list with
 * scripts on or off; hovering a mark shows its entry in the page's one tooltip (scripts on).
 */
describe('the events list, in Chromium', () => {
  const report = mixedReportInChromium();

  const section = (page: Page) => page.locator('section[data-customer="bakery-oven"]');

  for (const javaScriptEnabled of [true, false]) {
    it(`is reached with Tab after the picture and opened with Enter; a screen reader reads each entry (scripts ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const page = await report.open(javaScriptEnabled);
      const list = section(page).locator('ol.events');
      expect(await list.isVisible()).toBe(false);
      // From the section's last link before the picture, Tab goes through the finding marks to the list's summary.
      await section(page).locator('header a[href="#overview"]').focus();
      const summary = section(page).locator('details:has(> ol.events) > summary');
      let tabs = 0;
      while (tabs < 40 && (await summary.locator(':scope:focus').count()) === 0) {
        await page.keyboard.press('Tab');
        tabs++;
      }
      const reached = (await summary.locator(':scope:focus').count()) === 1 ? await summary.textContent() : `not reached in ${tabs} presses of Tab`;
      expect(reached).toBe('Events (13)');
      await page.keyboard.press('Enter');
      expect(await list.isVisible()).toBe(true);
      const entries = await list.locator('li').allInnerTexts();
      expect(entries).toHaveLength(13);
      expect(entries[2]).toBe('Mon 4 Mar 2024 06:12 · the customer contacted by phone (complaint)');
      // In the accessibility tree: a list of 13 items, each read as the entry's text.
      const tree = (await list.ariaSnapshot()).split('\n');
      expect(tree[0]).toBe('- list:');
      // YAML: a text with a quote or a colon in it is written as a quoted string.
      const read = tree.slice(1).map((line) => /^ {2}- listitem: (.*)$/.exec(line)?.[1] ?? line).map((text) => (text.startsWith('"') ? (JSON.parse(text) as string) : text));
      expect(read).toEqual(entries);
      await page.context().close();
    });
  }

  it('shows a hovered event mark\'s entry in the tooltip, the text the list says', async () => {
    const page = await report.open(true);
    const tip = page.getByRole('tooltip');
    const marks = section(page).locator('svg [data-event]');
    const count = await marks.count();
    expect(count).toBeGreaterThanOrEqual(10);
    const entries = await section(page).locator('ol.events li').allTextContents();
    // Every mark refers to the entry of its own event (the script's mapping).
    for (let i = 0; i < count; i++) {
      const mark = marks.nth(i);
      await mark.dispatchEvent('mouseover');
      const n = Number(await mark.getAttribute('data-event'));
      expect(await tip.textContent()).toBe(entries[n - 1]);
    }
    // A real pointer over the inbound contact, and off it again.
    await page.mouse.move(5, 5);
    const contact = section(page).locator('svg [data-mark="contact"][data-direction="inbound"]');
    await contact.hover();
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toBe('Mon 4 Mar 2024 06:12 · the customer contacted by phone (complaint)');
    const [markBox, tipBox] = [await contact.boundingBox(), await tip.boundingBox()];
    expect(tipBox!.y).toBeLessThanOrEqual(markBox!.y + markBox!.height);
    expect(tipBox!.y).toBeGreaterThan(markBox!.y);
    await page.mouse.move(5, 5);
    expect(await tip.isVisible()).toBe(false);
    await page.context().close();
  });
});
