import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Calendar, type Snapshot } from '../../src/index.js';
import { renderReport } from '../../src/report/render-report.js';
import { mixedReportInChromium, onTop } from './browser-helpers.js';

/**
 * Two findings at the same instant on the same row were drawn one over the other: the cross where
 * a promise was missed lay under the dashed line of its being kept late, and a plugin's findings at
 * one instant were one diamond. Each finding's mark is stacked clear of the ones drawn before it,
 * at its own time (its x), so every one can be seen, hovered and clicked.
 */

interface Box {
  readonly kind: string;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** The point marks of the findings (not the shaded spans under everything) in one timeline, as drawn, edges included. */
async function marksOf(page: Page, customer: string): Promise<Box[]> {
  return page.locator(`section[data-customer="${customer}"] svg a.finding:not([data-kind="inattention.gap"]):not([data-kind="survey.due"])`).evaluateAll((marks) =>
    marks.map((mark) => {
      const box = mark.getBoundingClientRect();
      // A box is the shapes' geometry; half the stroke (3 px when hovered) lies outside it.
      return { kind: mark.getAttribute('data-kind') ?? '', left: box.left - 1.5, top: box.top - 1.5, right: box.right + 1.5, bottom: box.bottom + 1.5 };
    }),
  );
}

const overlapping = (boxes: readonly Box[]): string[] =>
  boxes.flatMap((a, i) =>
    boxes.slice(i + 1).flatMap((b) => (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom ? [`${a.kind} and ${b.kind}`] : [])),
  );

describe('findings at the same instant and row, in Chromium', () => {
  const report = mixedReportInChromium();

  it('draws a promise\'s cross where it was missed clear of the dashed line of its being kept late, both hoverable', async () => {
    const page = await report.open();
    const boxes = await marksOf(page, 'bakery-oven');
    const cross = boxes.find((b) => b.kind === 'promise.broken');
    const late = boxes.find((b) => b.kind === 'promise.kept-late');
    expect(cross).toBeDefined();
    expect(late).toBeDefined();
    // The same instant: the line starts where the cross is (the promise's due time).
    expect((cross!.left + cross!.right) / 2).toBeCloseTo(late!.left + 1.5, 0);
    expect(overlapping([cross!, late!])).toEqual([]);
    for (const kind of ['promise.broken', 'promise.kept-late']) {
      const mark = page.locator(`section[data-customer="bakery-oven"] svg a[data-kind="${kind}"]`);
      const point = await mark.evaluate(onTop);
      expect(point, kind).not.toBeNull();
      await page.mouse.move(point!.x, point!.y);
      expect(await page.getByRole('tooltip').innerText(), kind).toContain(await page.locator(`li${(await mark.getAttribute('href')) ?? '#none'}`).innerText());
    }
    await page.context().close();
  });

  it('leaves no two finding marks of a timeline over each other in the example journeys', async () => {
    const page = await report.open();
    for (const customer of ['bakery-oven', 'fiber-outage', 'gym-cancel']) {
      const boxes = await marksOf(page, customer);
      expect(boxes.length, customer).toBeGreaterThan(0);
      expect(overlapping(boxes), customer).toEqual([]);
    }
    await page.context().close();
  });

  it('stacks a plugin\'s findings at one instant in the "Other findings" lane, each at that instant', async () => {
    const at = '2024-01-02T09:00:00.000Z';
    const finding = (n: number) => ({ kind: `plugin.kind-${n}`, customerId: 'c', matterId: null, detectedAt: at, severity: 'warning', message: `Finding ${n}.`, evidence: [], details: {} }) as const;
    const snapshot: Snapshot = { asOf: at, customers: 1, events: 1, findings: [finding(1), finding(2), finding(3)], summaries: { c: {} } };
    const events = [{ id: 'e1', customerId: 'c', type: 'ContactMade', at: '2024-01-01T09:00:00Z', time: Date.parse('2024-01-01T09:00:00Z'), data: { direction: 'inbound', channel: 'phone' } }];
    const page = await report.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.setContent(renderReport({ snapshot, events, calendar: new Calendar() }));
    const boxes = await marksOf(page, 'c');
    expect(boxes.map((b) => b.kind)).toEqual(['plugin.kind-1', 'plugin.kind-2', 'plugin.kind-3']);
    expect(overlapping(boxes)).toEqual([]);
    const centres = boxes.map((b) => (b.left + b.right) / 2);
    for (const x of centres) expect(x).toBeCloseTo(centres[0] ?? 0, 1);
    // Inside their lane, not drawn into the one above.
    const lane = await page.locator('svg [data-lane="other"]').evaluate((rect) => rect.getBoundingClientRect());
    for (const box of boxes) {
      expect(box.top).toBeGreaterThanOrEqual(lane.top);
      expect(box.bottom).toBeLessThanOrEqual(lane.bottom);
    }
    await page.close();
  });
});
