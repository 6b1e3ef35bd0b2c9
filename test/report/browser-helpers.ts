import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { builtinPolicies } from '../../src/index.js';
import { heedInProcess, scratch } from '../cli/helpers.js';
import { journeys, root } from './helpers.js';

/** Debian's Chromium (no browser download); `.ci/run` installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const artifacts = join(root, 'test-artifacts');

/** Open a report file in Chromium (a desktop window unless told); every request it makes is recorded. */
export async function openReport(browser: Browser, file: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(10_000);
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(pathToFileURL(file).href);
  return { page, requests, errors };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with "apt-get install -y chromium" (.ci/run does)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}


/**
 * For a describe block: the report of examples/journeys/mixed.jsonl (with the examples' config)
 * written once, and Chromium launched for it, closed after the block. Read the fields in tests.
 */
export function mixedReportInChromium(): { readonly browser: Browser; readonly file: string; open(javaScriptEnabled?: boolean): Promise<Page> } {
  const fixture = {
    browser: undefined as unknown as Browser,
    file: '',
    /** The report in a new desktop-sized page, with scripts on or off. */
    async open(javaScriptEnabled = true): Promise<Page> {
      const context = await fixture.browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(pathToFileURL(fixture.file).href);
      return page;
    },
  };
  beforeAll(async () => {
    fixture.file = join(scratch(), 'report.html');
    const result = await heedInProcess(['report', journeys('mixed.jsonl'), '--config', join(root, 'examples/heed.config.json'), '--out', fixture.file], { policies: builtinPolicies });
    expect(result.code, result.stderr).toBe(0);
    fixture.browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await fixture.browser?.close();
  });
  return fixture;
}

/** In the page: the point of an element nearest its middle where it is the topmost thing drawn, or null. */
export function onTop(mark: unknown): { x: number; y: number } | null {
  const e = mark as { getBoundingClientRect(): { left: number; top: number; width: number; height: number }; contains(n: unknown): boolean; ownerDocument: { elementFromPoint(x: number, y: number): unknown } };
  const box = e.getBoundingClientRect();
  const points: { x: number; y: number }[] = [];
  for (let dx = 0; dx <= box.width; dx += 0.5) for (let dy = 0; dy <= box.height; dy += 0.5) points.push({ x: box.left + dx, y: box.top + dy });
  const [cx, cy] = [box.left + box.width / 2, box.top + box.height / 2];
  points.sort((a, b) => Math.hypot(a.x - cx, a.y - cy) - Math.hypot(b.x - cx, b.y - cy));
  return points.find((p) => e.contains(e.ownerDocument.elementFromPoint(p.x, p.y))) ?? null;
}
