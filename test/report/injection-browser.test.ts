import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../../src/index.js';
import { script } from '../../src/report/assets.js';
import { heedInProcess, line, scratch } from '../cli/helpers.js';
import { launchChromium } from './browser-helpers.js';

/**
 * Event data is the report's only untrusted input: customer ids, matter titles and promises that
 * try to close the page's script or a <pre>, open an HTML comment, break a JavaScript line
 * (U+2028/U+2029) or smuggle quotes and entities must come back exactly as written, in the text the
 * page shows (the summaries too), and nothing they contain may run.
 */
const hostile = `</script><script>alert(1)</script><!-- <script>alert(2)</script> \u2028\u2029 "q" 'a' &amp; & </pre>`;
const customers = [`c1${hostile}`, `c2 <!--`];
const events = customers.flatMap((customerId) => [
  { customerId, type: 'MatterOpened', at: '2024-03-04T09:00:00Z', data: { matterId: `m${hostile}`, title: `Oven ${hostile}` } },
  { customerId, type: 'PromiseMade', at: '2024-03-04T10:00:00Z', data: { promiseId: 'p', what: `call ${hostile}`, dueBy: '2024-03-05T17:00:00Z', matterId: `m${hostile}` } },
  { customerId, type: 'ContactMade', at: '2024-03-06T10:00:00Z', data: { direction: 'inbound', channel: 'phone', purpose: 'chase', matterId: `m${hostile}` } },
]);

describe('the report with hostile event data, in Chromium', () => {
  let browser: Browser;
  let file: string;

  beforeAll(async () => {
    const dir = scratch({ 'journeys.jsonl': events.map(line).join('') });
    file = join(dir, 'report.html');
    const result = await heedInProcess(['report', join(dir, 'journeys.jsonl'), '--until', '2024-03-20T00:00:00Z', '--out', file]);
    expect(result.code, result.stderr).toBe(0);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('keeps the summaries\' <pre> closed: no "<" from the data inside it', () => {
    const html = readFileSync(file, 'utf8');
    const blocks = [...html.matchAll(/<pre>([^]*?)<\/pre>/g)].map((m) => m[1] ?? '');
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      expect(block).not.toContain('<');
      expect(block).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('runs no injected script, and the page data and text round-trip exactly', async () => {
    const { snapshot } = await replay(events, { asOf: '2024-03-20T00:00:00Z' });
    const report = await browser.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    report.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    report.on('pageerror', (error) => errors.push(error.message));
    await report.goto(pathToFileURL(file).href);

    // Only the page's own script, whole.
    const scripts = await report.locator('script').evaluateAll((elements) => elements.map((s) => [s.getAttribute('type') ?? '', s.id, s.textContent]));
    expect(scripts).toEqual([['', '', script]]);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    const sorted = [...customers].sort();

    const shown = await report.locator('section.customer').evaluateAll((sections) =>
      sections.map((section) => ({
        customer: section.getAttribute('data-customer'),
        heading: section.querySelector('h2')?.textContent,
        summary: section.querySelector('details > pre')?.textContent,
        labels: [...section.querySelectorAll('.lane-label')].map((label) => label.querySelector('title')?.textContent ?? label.textContent),
        events: [...section.querySelectorAll('ol.events > li')].map((entry) => entry.textContent),
      })),
    );
    expect(shown.map((s) => s.customer)).toEqual(sorted);
    expect(shown.map((s) => s.heading)).toEqual(sorted);
    expect(shown.map((s) => s.summary)).toEqual(sorted.map((id) => JSON.stringify(snapshot.summaries[id], null, '\t')));
    expect(shown.map((s) => s.summary).join('')).toContain(JSON.stringify(`Oven ${hostile}`));
    for (const s of shown) {
      expect(s.labels).toContain(`Oven ${hostile}`);
      expect(s.events[1]).toContain(`promise "call ${hostile}"`);
      expect(s.events[0]).toContain(`matter "Oven ${hostile}" opened`);
    }
    await report.close();
  });
});
