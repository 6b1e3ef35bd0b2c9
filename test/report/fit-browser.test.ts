import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinPolicies } from '../../src/index.js';
import { heedInProcess, line, scratch } from '../cli/helpers.js';
import { launchChromium, openReport } from './browser-helpers.js';
import { journeys, root } from './helpers.js';

/**
 * The report on any screen, with what a CRM really holds: on a phone the page itself never
 * scrolls sideways (the overview table and the pictures do, inside their own boxes) and the
 * pictures keep a readable size; long ids and ALL-CAPS titles stay in their place.
 */
const longId = `acct-${'7f3a9c'.repeat(32)}`; // 197 characters, no break opportunity
const capsMatter = 'WWW-MMM-WWW-MMM-WWW-MMM';
const hostile = [
  line({ customerId: longId, type: 'MatterOpened', at: '2024-03-01T10:00:00Z', data: { matterId: capsMatter, title: 'DECK OVEN WILL NOT HEAT UP AT ALL' } }),
  line({ customerId: longId, type: 'ContactMade', at: '2024-03-01T10:05:00Z', data: { matterId: capsMatter, direction: 'inbound', channel: 'phone' } }),
  line({ customerId: longId, type: 'MatterResolved', at: '2024-03-04T10:00:00Z', data: { matterId: capsMatter } }),
  // A month tick falls at the right edge of this picture (Sep 2024 at x ≈ 985 of 1000).
  line({ customerId: 'edge', type: 'ContactMade', at: '2024-01-01T07:00:00Z', data: { direction: 'inbound', channel: 'phone' } }),
  line({ customerId: 'edge', type: 'ContactMade', at: '2024-08-27T13:00:00Z', data: { direction: 'inbound', channel: 'phone' } }),
].join('');

/** How the element's box handles content wider than itself (runs in the page). */
// (DOM types are not in this project's lib: the window is reached untyped.)
const overflowOfParent = (element: { parentElement: unknown; ownerDocument: { defaultView: unknown } }): string =>
  (element.ownerDocument.defaultView as any).getComputedStyle(element.parentElement).overflowX;

describe('the report fits the screen', () => {
  let browser: Browser;
  let file: string;

  beforeAll(async () => {
    const dir = scratch({ 'long.jsonl': hostile });
    file = join(dir, 'report.html');
    const result = await heedInProcess(['report', journeys('mixed.jsonl'), join(dir, 'long.jsonl'), '--config', join(root, 'examples/heed.config.json'), '--out', file], { policies: builtinPolicies });
    expect(result.code, result.stderr).toBe(0);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  for (const width of [375, 1280]) {
    it(`never makes the page scroll sideways, ${width} px wide`, async () => {
      const { page } = await openReport(browser, file, { width, height: 800 });
      const [scrollWidth, clientWidth] = await page.locator('html').evaluate((html) => [html.scrollWidth, html.clientWidth]);
      expect(scrollWidth).toBe(clientWidth);
      // The table scrolls in its own box, so every column can still be reached.
      expect(await page.locator('table.overview').evaluate(overflowOfParent)).toBe('auto');
      await page.close();
    });
  }

  it('keeps every timeline readable on a phone: drawn at least 720 px wide, scrolling in its own box', async () => {
    const { page } = await openReport(browser, file, { width: 375, height: 800 });
    const widths = await page.locator('svg.timeline').evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().width));
    expect(widths.length).toBe(5);
    for (const width of widths) expect(width).toBeGreaterThanOrEqual(720);
    const boxes = await Promise.all((await page.locator('svg.timeline').all()).map((svg) => svg.evaluate(overflowOfParent)));
    expect(boxes).toEqual(['auto', 'auto', 'auto', 'auto', 'auto']);
    await page.close();
  });

  it('keeps lane labels out of the plot: an ALL-CAPS title or id is cut at the plot\'s edge, and shown whole on hover', async () => {
    const { page } = await openReport(browser, file);
    const svg = page.locator(`section[data-customer="${longId}"] svg.timeline`);
    const plotStart = (await svg.locator('line.baseline').first().boundingBox())?.x ?? 0;
    const labels = svg.locator('.lane-label, .lane-sublabel');
    let overflowing = 0;
    for (const label of await labels.all()) {
      const box = await label.boundingBox();
      if (box === null || box.x + box.width <= plotStart) continue;
      overflowing++;
      // What is drawn just inside the plot at the label's height is not the label.
      const hit = await page.evaluate(([x, y]) => (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): { textContent: string } | null } }).document.elementFromPoint(x, y)?.textContent ?? '', [plotStart + 3, box.y + box.height / 2] as const);
      expect(hit).not.toBe(await label.textContent());
    }
    expect(overflowing).toBeGreaterThan(0); // the ALL-CAPS title and id do not fit their column
    expect(await svg.locator('.lane-label title').allTextContents()).toContain('DECK OVEN WILL NOT HEAT UP AT ALL');
    await page.close();
  });

  it('prints every picture whole, within the width of the paper (A4 or Letter: about 670 px inside the margins)', async () => {
    const { page } = await openReport(browser, file, { width: 670, height: 900 });
    await page.emulateMedia({ media: 'print' });
    for (const svg of await page.locator('svg.timeline').all()) {
      const [right, boxRight] = await svg.evaluate((element) => {
        const box = (element as unknown as { parentElement: { getBoundingClientRect(): { right: number } } }).parentElement.getBoundingClientRect();
        return [element.getBoundingClientRect().right, box.right];
      });
      expect(right).toBeLessThanOrEqual(boxRight);
      expect(await svg.evaluate((element) => (element.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { breakInside: string } }).getComputedStyle(element).breakInside)).toBe('avoid');
    }
    await page.close();
  });

  it('keeps every tick label inside its picture, even one at the right edge, centred on its tick or ending at it', async () => {
    const { page } = await openReport(browser, file);
    let ending = 0;
    for (const svg of await page.locator('svg.timeline').all()) {
      const box = (await svg.boundingBox())!;
      const lines = await svg.locator('.tick').all();
      const labels = await svg.locator('.tick-label').all();
      expect(labels.length).toBe(lines.length);
      for (const [i, label] of labels.entries()) {
        const tick = (await label.boundingBox())!;
        const text = await label.textContent();
        expect(tick.x, `${text}`).toBeGreaterThanOrEqual(box.x);
        expect(tick.x + tick.width, `${text}`).toBeLessThanOrEqual(box.x + box.width);
        // Placed by the style sheet's text-anchor: centred on its grid line, or ending at it at the edge.
        const at = (await lines[i]!.boundingBox())!.x;
        const centred = Math.abs(tick.x + tick.width / 2 - at) < 2;
        const ends = Math.abs(tick.x + tick.width - at) < 2;
        expect(centred || ends, `${text}`).toBe(true);
        if (ends) ending++;
      }
    }
    expect(ending).toBeGreaterThan(0);
    expect(await page.locator('section[data-customer="edge"] .tick-label').last().textContent()).toBe('Sep 2024');
    await page.close();
  });
});
