import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heedInProcess } from '../cli/helpers.js';
import { fixturePolicies } from '../fixtures/contract-kinds-policy.js';
import { artifacts, launchChromium, openReport } from './browser-helpers.js';
import { journeys, root } from './helpers.js';

/**
 * The report in a real browser (Debian's Chromium, headless): every customer's timeline renders
 * with its marks, the overview sorts and links, nothing is fetched, and a screenshot is kept in
 * test-artifacts/ for people to look at.
 */
const expectedMarks: Record<string, string[]> = {
  'bakery-oven': [
    '[data-kind="promise.broken"]',
    '[data-kind="promise.kept-late"]',
    '[data-mark="promise"][data-status="late"]',
    '[data-mark="fix"][data-outcome="failed"]',
    '[data-mark="fix"][data-outcome="succeeded"]',
    '[data-mark="contact"][data-direction="inbound"]',
    '[data-mark="contact"][data-direction="outbound"]',
    '[data-kind="burden.escalated"]',
    '[data-mark="survey"][data-mistimed="false"]',
    '[data-kind="survey.due"]',
  ],
  'deer-claim': ['[data-kind="promise.broken"]', '[data-kind="inattention.gap"]', '[data-kind="survey.mistimed"]', '[data-mark="relationship-ended"]'],
  'fiber-outage': ['[data-kind="inattention.gap"]', '[data-mark="promise"][data-status="broken"]', '[data-mark="survey"][data-mistimed="true"]', '[data-kind="survey.mistimed"]'],
  'gym-cancel': ['[data-mark="task"][data-repeat="true"]', '[data-mark="promise"][data-status="cancelled"]', '[data-mark="relationship-ended"]', '[data-kind="farewell.left"]'],
};

describe('the report in Chromium', () => {
  let browser: Browser;
  const file = join(artifacts, 'report-mixed.html');

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const result = await heedInProcess(['report', journeys('mixed.jsonl'), journeys('deer-claim.jsonl'), '--config', join(root, 'examples/heed.config.json'), '--out', file], {
      policies: fixturePolicies,
    });
    expect(result.code).toBe(0);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders a timeline with the expected marks for every customer, fetching nothing', async () => {
    const { page, requests, errors } = await openReport(browser, file);
    const rows = page.locator('table.overview tbody tr');
    expect(await rows.count()).toBe(4);
    for (let i = 0; i < 4; i++) {
      const customer = (await rows.nth(i).getAttribute('data-customer')) ?? '';
      const href = (await rows.nth(i).locator('a').getAttribute('href')) ?? '';
      const svg = page.locator(`section${href} svg.timeline`);
      const box = await svg.boundingBox();
      expect(box?.width ?? 0, customer).toBeGreaterThan(600);
      expect(box?.height ?? 0, customer).toBeGreaterThan(120);
      for (const selector of expectedMarks[customer] ?? ['missing']) {
        const mark = svg.locator(selector).first();
        const markBox = await mark.boundingBox();
        expect(markBox, `${customer} ${selector}`).not.toBeNull();
        // Inside the picture, not drawn off its edge.
        expect(markBox!.x, `${customer} ${selector}`).toBeGreaterThanOrEqual(box!.x);
        expect(markBox!.x + markBox!.width, `${customer} ${selector}`).toBeLessThanOrEqual(box!.x + box!.width + 1);
      }
      // One mark per finding listed under the picture.
      expect(await svg.locator('a.finding').count()).toBe(await page.locator(`section${href} ol.findings li`).count());
    }
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'report-mixed.png'), fullPage: true });
    expect(statSync(join(artifacts, 'report-mixed.png')).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('sorts the overview by a clicked column, both ways', async () => {
    const { page } = await openReport(browser, file);
    const order = async () => page.locator('table.overview tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-customer'), Number(r.querySelectorAll('td')[3]?.getAttribute('data-sort'))]));
    const header = page.locator('table.overview th', { hasText: 'Findings' });
    await header.locator('button').click();
    const ascending = await order();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    expect(ascending.map((r) => r[1])).toEqual(ascending.map((r) => r[1]).sort((a, b) => Number(a) - Number(b)));
    await header.locator('button').click();
    const descending = await order();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(descending.map((r) => r[1])).toEqual(ascending.map((r) => r[1]).reverse());
    expect(new Set(descending.map((r) => r[0]))).toEqual(new Set(['bakery-oven', 'deer-claim', 'fiber-outage', 'gym-cancel']));
    await page.close();
  });

  it('takes a reader from a customer\'s name to its timeline and from a mark to its message', async () => {
    const { page } = await openReport(browser, file);
    await page.locator('table.overview a', { hasText: 'fiber-outage' }).click();
    expect(new URL(page.url()).hash).toBe('#customer-3');
    const mark = page.locator('#customer-3 svg [data-kind="survey.mistimed"]');
    const target = (await mark.getAttribute('href')) ?? '';
    // On the ring itself, at its top: inside it is the survey's own mark, which links to the survey's entry.
    await mark.click({ position: { x: (await mark.boundingBox())!.width / 2, y: 1.5 } });
    expect(new URL(page.url()).hash).toBe(target);
    await expect(page.locator(`li${target}`).textContent()).resolves.toContain('went out while a matter was open');
    await page.close();
  });

  it('takes a click anywhere on a promise\'s bar, the outlined bar of a cancelled one too', async () => {
    const { page } = await openReport(browser, file);
    const bars = page.locator('svg.timeline a[data-mark="promise"]');
    const statuses = new Set<string>();
    for (let i = 0; i < (await bars.count()); i++) {
      const bar = bars.nth(i);
      await bar.scrollIntoViewIfNeeded();
      const { status, href, hit } = await bar.evaluate((a) => {
        const r = a.getBoundingClientRect();
        const hitAt = a.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('a');
        return { status: a.getAttribute('data-status') ?? '', href: a.getAttribute('href'), hit: hitAt?.getAttribute('href') ?? null };
      });
      statuses.add(status);
      // The middle of the bar: the fill of an open or kept one, the inside of a cancelled one's outline.
      expect(hit, `${status} promise ${href}`).toBe(href);
    }
    expect(statuses).toContain('cancelled');
    await page.close();
  });
});
