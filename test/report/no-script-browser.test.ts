import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinPolicies, type Snapshot } from '../../src/index.js';
import { heedInProcess, scratch } from '../cli/helpers.js';
import { launchChromium } from './browser-helpers.js';
import { journeys, root } from './helpers.js';

/**
 * The report is a file people mail and open anywhere, some with scripts turned off (a mail
 * client's viewer, a locked-down browser): everything it says must be in the HTML, the script only
 * adds (sorting, a tooltip); with scripts on, nothing is shown twice.
 */
describe('the report with scripts off and on, in Chromium', () => {
  let browser: Browser;
  let file: string;
  let summaries: Snapshot['summaries'];

  beforeAll(async () => {
    const dir = scratch();
    file = join(dir, 'report.html');
    const config = join(root, 'examples/heed.config.json');
    const files = [journeys('mixed.jsonl'), journeys('deer-claim.jsonl')];
    const result = await heedInProcess(['report', ...files, '--config', config, '--out', file], { policies: builtinPolicies });
    expect(result.code, result.stderr).toBe(0);
    const json = await heedInProcess(['replay', ...files, '--config', config, '--format', 'json'], { policies: builtinPolicies });
    summaries = (JSON.parse(json.stdout) as Snapshot).summaries;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function shown(javaScriptEnabled: boolean) {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.locator('section.customer details > summary').evaluateAll((summaries) => summaries.forEach((s) => (s as unknown as { click(): void }).click()));
    const intro = (await page.locator('main > p.muted').first().innerText()).trim();
    const sections = await page.locator('section.customer').evaluateAll((sections) =>
      sections.map((section) => ({
        customer: section.getAttribute('data-customer') ?? '',
        pres: [...section.querySelectorAll('pre')].map((pre) => ({ text: pre.textContent ?? '', visible: (pre as unknown as { checkVisibility(): boolean }).checkVisibility() })),
      })),
    );
    await context.close();
    return { sections, intro };
  }

  it('shows every customer\'s policy summaries without JavaScript, as indented JSON', async () => {
    const { sections } = await shown(false);
    expect(sections.map((s) => s.customer)).toEqual(['bakery-oven', 'deer-claim', 'fiber-outage', 'gym-cancel']);
    for (const { customer, pres } of sections) {
      expect(pres, customer).toHaveLength(1);
      expect(pres[0]?.visible, customer).toBe(true);
      expect(JSON.parse(pres[0]?.text ?? 'null'), customer).toEqual(summaries[customer]);
      // Indented, one value a line, not one long line.
      expect((pres[0]?.text ?? '').split('\n').length, customer).toBeGreaterThan(20);
    }
  });

  it('offers sorting and hovering only when the script that sorts and shows the tooltip runs', async () => {
    const [off, on] = [await shown(false), await shown(true)];
    expect(off.intro).toMatch(/^One row per customer; click a name to see its timeline\./);
    expect(off.intro).not.toContain('sort');
    // Nothing shows on hover without the script (an event mark has no <title>): the list under the picture says it.
    expect(off.intro).not.toContain('hover');
    expect(off.intro).toMatch(/; click a mark to see its finding's message or its event's entry in the lists under it\.$/);
    expect(on.intro).toContain('; hover a mark for details (Tab also reaches a finding\'s), click a mark to see');
    expect(on.intro).toMatch(/^One row per customer; click a column heading to sort, a name to see its timeline\./);
  });

  it('shows the same with JavaScript, once: no second copy of the summaries, no empty box', async () => {
    const [off, on] = [await shown(false), await shown(true)];
    expect(on.sections).toEqual(off.sections);
    // The file carries each summary once (no data block the script would copy from).
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain('application/json');
    const promise = (summaries['bakery-oven'] as { promises: { promises: { promiseId: string }[] } }).promises.promises[0]?.promiseId ?? 'missing';
    expect(html.split(`"promiseId": "${promise}"`).length - 1).toBe(1);
  });
});
