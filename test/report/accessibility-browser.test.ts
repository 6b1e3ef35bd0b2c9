import { describe, expect, it } from 'vitest';
import { mixedReportInChromium, openReport } from './browser-helpers.js';
import { contrast } from './contrast.js';

/**
 * Accessibility basics of the report in Chromium: a main landmark holding the content, one
 * region per customer named by its heading, and text that meets WCAG AA contrast (4.5:1).
 */
describe('the report is accessible', () => {
  const report = mixedReportInChromium();

  it('has a main landmark and a region per customer, named by its heading', async () => {
    const { page } = await openReport(report.browser, report.file);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('main').getByRole('table').count()).toBe(1);
    for (const customer of ['bakery-oven', 'fiber-outage', 'gym-cancel']) {
      expect(await page.getByRole('main').getByRole('region', { name: customer, exact: true }).count(), customer).toBe(1);
    }
    await page.close();
  });

  it('prints the severities in colours with at least 4.5:1 contrast on the page and on a highlighted finding', async () => {
    const { page } = await openReport(report.browser, report.file);
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
