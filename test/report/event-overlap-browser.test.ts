import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Calendar, type Snapshot } from '../../src/index.js';
import { renderReport } from '../../src/report/render-report.js';
import { launchChromium } from './browser-helpers.js';

/**
 * Event marks were drawn where their kind goes, whatever was there already: a fix attempt just
 * before a matter's resolution left only slivers of the resolution's dot, and calls minutes apart
 * were one dot. Each event's mark is moved up or down (never sideways: its x is its time) clear of
 * the marks before it, contacts away from the line they sit on, and its lane grows to hold them.
 */

const at = (text: string) => ({ at: text, time: Date.parse(text) });
const event = (n: number, type: string, when: string, data: Record<string, unknown>) => ({ id: `e${n}`, customerId: 'c', type, ...at(when), data });

const events = [
  event(1, 'MatterOpened', '2024-03-01T09:00:00Z', { matterId: 'm1', title: 'Oven', severity: 'high' }),
  event(2, 'PromiseMade', '2024-03-02T09:00:00Z', { matterId: 'm1', promiseId: 'p1', what: 'A visit', dueBy: '2024-03-06T09:00:00Z', party: 'company' }),
  // Three calls out and two in within half an hour, and two tasks asked in the same half hour (in time order, as the list numbers them).
  event(3, 'ContactMade', '2024-03-04T10:00:00Z', { matterId: 'm1', direction: 'outbound', channel: 'phone', purpose: 'update' }),
  event(4, 'ContactMade', '2024-03-04T10:00:00Z', { matterId: 'm1', direction: 'inbound', channel: 'phone', purpose: 'complaint' }),
  event(5, 'CustomerTaskRequested', '2024-03-04T10:00:00Z', { matterId: 'm1', task: 'Send a photo' }),
  event(6, 'ContactMade', '2024-03-04T10:05:00Z', { matterId: 'm1', direction: 'outbound', channel: 'phone', purpose: 'update' }),
  event(7, 'ContactMade', '2024-03-04T10:10:00Z', { matterId: 'm1', direction: 'outbound', channel: 'email', purpose: 'marketing' }),
  event(8, 'ContactMade', '2024-03-04T10:20:00Z', { matterId: 'm1', direction: 'inbound', channel: 'phone', purpose: 'complaint' }),
  event(9, 'CustomerTaskRequested', '2024-03-04T10:30:00Z', { matterId: 'm1', task: 'Send the serial number', repeat: true }),
  // A fix attempt half an hour before the resolution it brought.
  event(10, 'FixAttempted', '2024-03-08T14:00:00Z', { matterId: 'm1', method: 'part replaced', outcome: 'succeeded' }),
  event(11, 'MatterResolved', '2024-03-08T14:30:00Z', { matterId: 'm1' }),
  // Two surveys ten minutes apart.
  event(12, 'SurveySent', '2024-03-09T09:00:00Z', { surveyId: 's1' }),
  event(13, 'SurveySent', '2024-03-09T09:10:00Z', { surveyId: 's2' }),
];

interface Mark {
  readonly href: string;
  readonly kind: string;
  readonly x: number;
  readonly y: number;
  readonly box: { left: number; top: number; right: number; bottom: number };
}

/** The point marks of the events (not the matter's and the promise's bars), as drawn: each link's shape's box and middle. */
async function pointMarks(page: Page): Promise<Mark[]> {
  return page.locator('svg.timeline a[href^="#e"]:not(:has([data-mark="matter"])):not([data-mark="promise"])').evaluateAll((links) =>
    links.map((link) => {
      const shape = link.firstElementChild ?? link;
      const r = shape.getBoundingClientRect();
      return {
        href: link.getAttribute('href') ?? '',
        kind: shape.getAttribute('data-mark') ?? '',
        x: r.left + r.width / 2,
        y: r.top + r.height / 2,
        box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
      };
    }),
  );
}

describe('event marks close in time, in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const snapshot: Snapshot = { asOf: '2024-03-10T00:00:00.000Z', customers: 1, events: events.length, findings: [], summaries: { c: {} } };
    await page.setContent(renderReport({ snapshot, events, calendar: new Calendar() }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every event mark, the one at each mark\'s middle being that mark, and a click there opens its own entry', async () => {
    const marks = await pointMarks(page);
    expect(marks.map((m) => m.href).sort()).toEqual(['#e1-10', '#e1-11', '#e1-12', '#e1-13', '#e1-3', '#e1-4', '#e1-5', '#e1-6', '#e1-7', '#e1-8', '#e1-9']);
    for (const { href, kind } of marks) {
      // Measured again each time: a click scrolls the page to the entry.
      const link = page.locator(`svg.timeline a[href="${href}"]`);
      await link.scrollIntoViewIfNeeded();
      const { x, y, hit } = await link.evaluate((a) => {
        const r = (a.firstElementChild ?? a).getBoundingClientRect();
        const [cx, cy] = [r.left + r.width / 2, r.top + r.height / 2];
        return { x: cx, y: cy, hit: a.ownerDocument.elementFromPoint(cx, cy)?.closest('a')?.getAttribute('href') ?? null };
      });
      expect(hit, `${kind} ${href}`).toBe(href);
      await page.mouse.click(x, y);
      expect(await page.locator(':target').getAttribute('id'), `${kind} ${href}`).toBe(href.slice(1));
    }
  });

  it('keeps the marks clear of each other, each at its own time, contacts on their side of the line, all inside the lane', async () => {
    const marks = await pointMarks(page);
    const over = marks.flatMap((a, i) =>
      marks.slice(i + 1).flatMap((b) => (a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom && b.box.top < a.box.bottom ? [`${a.href} and ${b.href}`] : [])),
    );
    expect(over).toEqual([]);
    const of = (href: string) => marks.find((m) => m.href === href) as Mark;
    // Moved up or down only: the marks of 10:00 (a call out, a call in, a task) one above the other.
    expect(of('#e1-4').x).toBeCloseTo(of('#e1-3').x, 1);
    expect(of('#e1-5').x).toBeCloseTo(of('#e1-3').x, 1);
    // The resolution still after the fix attempt.
    expect(of('#e1-11').x).toBeGreaterThan(of('#e1-10').x);
    const baseline = await page.locator('svg.timeline line.baseline').nth(1).evaluate((line) => line.getBoundingClientRect().top);
    for (const href of ['#e1-3', '#e1-6', '#e1-7']) expect(of(href).box.bottom, href).toBeLessThan(baseline);
    for (const href of ['#e1-4', '#e1-8']) expect(of(href).box.top, href).toBeGreaterThan(baseline);
    // The matter's lane holds its marks and its promise's bar, below the tasks.
    const lane = await page.locator('svg.timeline [data-lane="matter"]').evaluate((rect) => rect.getBoundingClientRect());
    for (const href of ['#e1-3', '#e1-4', '#e1-5', '#e1-6', '#e1-7', '#e1-8', '#e1-9', '#e1-10', '#e1-11']) {
      expect(of(href).box.top, href).toBeGreaterThanOrEqual(lane.top);
      expect(of(href).box.bottom, href).toBeLessThanOrEqual(lane.bottom);
    }
    const bar = await page.locator('svg.timeline [data-mark="promise"] rect').evaluate((rect) => rect.getBoundingClientRect());
    expect(bar.bottom).toBeLessThanOrEqual(lane.bottom);
    for (const href of ['#e1-5', '#e1-9']) expect(of(href).box.bottom, href).toBeLessThanOrEqual(bar.top);
    const surveys = await page.locator('svg.timeline [data-lane="surveys"]').evaluate((rect) => rect.getBoundingClientRect());
    for (const href of ['#e1-12', '#e1-13']) {
      expect(of(href).box.top, href).toBeGreaterThanOrEqual(surveys.top);
      expect(of(href).box.bottom, href).toBeLessThanOrEqual(surveys.bottom);
    }
  });
});
