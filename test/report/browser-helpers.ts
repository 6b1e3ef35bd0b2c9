import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { root } from './helpers.js';

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

