import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinPolicies } from '../../src/index.js';
import { heedInProcess, scratch } from '../cli/helpers.js';
import { launchChromium, openReport } from './browser-helpers.js';
import { contrast } from './contrast.js';
import { journeys, root } from './helpers.js';

/**
 * Accessibility basics of the report in Chromium: a main landmark holding the content, one
 * region per customer named by its heading, and text that meets WCAG AA contrast (4.5:1).
 */
describe('the report is accessible', () => {
  let browser: Browser;
  let file: string;

  beforeAll(async () => {
    file = join(scratch(), 'report.html');
    const result = await heedInProcess(['report', journeys('mixed.jsonl'), '--config', join(root, 'examples/heed.config.json'), '--out', file], { policies: builtinPolicies });
    expect(result.code, result.stderr).toBe(0);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('has a main landmark and a region per customer, named by its heading', async () => {
    const { page } = await openReport(browser, file);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('main').getByRole('table').count()).toBe(1);
    for (const customer of ['bakery-oven', 'fiber-outage', 'gym-cancel']) {
      expect(await page.getByRole('main').getByRole('region', { name: customer, exact: true }).count(), customer).toBe(1);
    }
    await page.close();
  });

  it('prints the severities in colours with at least 4.5:1 contrast on the page and on a highlighted finding', async () => {
    const { page } = await openReport(browser, file);
    const colours = await page.locator('ol.findings .sev').evaluateAll((spans) =>
      spans.map((span) => (span.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(span).color),
    );
    expect(new Set(colours).size).toBeGreaterThanOrEqual(3);
    for (const colour of new Set(colours)) {
      // The page's white and the yellow of a finding reached from its mark (li:target).
      expect(contrast(colour, 'rgb(255, 255, 255)'), colour).toBeGreaterThanOrEqual(4.5);
      expect(contrast(colour, 'rgb(255, 248, 197)'), colour).toBeGreaterThanOrEqual(4.5);
    }
    await page.close();
  });
});
