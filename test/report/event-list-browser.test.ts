import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mixedReportInChromium, onTop } from './browser-helpers.js';

/**
 * An event's details (a contact, a fix attempt, a promise…) were only in its mark's SVG <title>,
 * which neither Tab nor a screen reader reaches inside the picture (WCAG 2.1 SC 2.1.1, 1.1.1). Each
 * timeline is followed by a folded list of its events, reached with Tab and read as a list with
 * scripts on or off; a mark is a link to its entry, so a click shows it with scripts off too, and
 * hovering a mark shows its entry in the page's one tooltip (scripts on).
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
      // Through the finding marks only: an event's mark, a link for the mouse, is no stop of its own (the list is).
      const findingMarks = await section(page).locator('svg a.finding').count();
      expect(tabs).toBe(findingMarks + 1);
      // Nor a link for a screen reader, which reads the list: the picture's links are the finding marks.
      expect(await section(page).locator('svg').getByRole('link').count()).toBe(findingMarks);
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

  // What each kind of mark's entry says: a click on any mark must land on an entry of its own kind.
  const saysOf: Record<string, RegExp> = {
    'relationship-started': / · relationship started$/,
    matter: / · matter "Deck oven will not heat" opened, /,
    'matter-resolved': / · matter "Deck oven will not heat" resolved$/,
    contact: / · (the customer contacted|contacted the customer) by /,
    promise: / · promise "A technician on site Tuesday between 8 and noon" \(dispatch\) made, /,
    fix: / · fix attempt "/,
    task: / · asked the customer to: /,
    survey: / · survey "oven-csat" sent$/,
  };

  for (const javaScriptEnabled of [true, false]) {
    it(`takes a click on an event mark to its entry in the events list, opened and highlighted (scripts ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const page = await report.open(javaScriptEnabled);
      const marks = section(page).locator('svg [data-mark]:not([data-mark="burden-level"])');
      const count = await marks.count();
      expect(count).toBeGreaterThanOrEqual(10);
      const list = section(page).locator('ol.events');
      expect(await list.isVisible()).toBe(false);
      const landed: string[] = [];
      for (let i = 0; i < count; i++) {
        const mark = marks.nth(i);
        const kind = (await mark.getAttribute('data-mark')) ?? '';
        // A real click on the mark, as a mouse user makes it: on the part of it nearest its middle
        // that is on top (a finding's mark may lie over it).
        await mark.scrollIntoViewIfNeeded();
        const point = await mark.evaluate(onTop);
        expect(point, kind).not.toBeNull();
        await page.mouse.click(point!.x, point!.y);
        const target = page.locator(':target');
        expect(await target.count(), kind).toBe(1);
        expect(await target.evaluate((e) => e.parentElement?.matches('section[data-customer="bakery-oven"] ol.events') ?? false), kind).toBe(true);
        // Shown: the folded list opened on the fragment, the entry scrolled into view (to a fraction of a pixel) and highlighted.
        expect(await target.isVisible(), kind).toBe(true);
        expect(await target.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top > -1 && r.bottom < (e.ownerDocument.defaultView as unknown as { innerHeight: number }).innerHeight + 1; }), kind).toBe(true);
        expect(await target.evaluate((e) => (e.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor), kind).toBe('rgb(255, 248, 197)');
        const text = await target.innerText();
        expect(text, kind).toMatch(saysOf[kind] ?? /^never$/);
        landed.push(text);
      }
      // The inbound contact's own entry, not just one of its kind.
      await section(page).locator('svg [data-mark="contact"][data-direction="inbound"]').click();
      expect(await page.locator(':target').innerText()).toBe('Mon 4 Mar 2024 06:12 · the customer contacted by phone (complaint)');
      // Every mark its own entry: as many entries reached as marks drawn from distinct events.
      expect(new Set(landed).size).toBe(count);
      await page.context().close();
    });
  }

  it('shows a hovered event mark\'s entry in the tooltip, the text the list says', async () => {
    const page = await report.open(true);
    const tip = page.getByRole('tooltip');
    const marks = section(page).locator('svg a[href]:not(.finding)');
    const count = await marks.count();
    expect(count).toBeGreaterThanOrEqual(10);
    // Every mark shows the entry it links to (the one a click reaches, tested above).
    for (let i = 0; i < count; i++) {
      const mark = marks.nth(i);
      await mark.dispatchEvent('mouseover');
      const entry = section(page).locator(`ol.events li${(await mark.getAttribute('href')) ?? '#none'}`);
      expect(await tip.textContent()).toBe(await entry.textContent());
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
