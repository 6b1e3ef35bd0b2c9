import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/index.js';
import { denverConfig, heed } from '../cli/helpers.js';
import { artifacts, launchChromium, openReport } from './browser-helpers.js';
import { journeys } from './helpers.js';

/**
 * The deer claim (seed 001) through the built binary and the real built-in policies, opened in
 * Chromium: the picture shows what the story is about, and each mark matches a finding.
 */
describe('the deer claim report', () => {
  const file = join(artifacts, 'deer-claim-report.html');
  let browser: Browser;
  let findings: Finding[];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const deer = journeys('deer-claim.jsonl');
    const [report, json] = await Promise.all([heed(['report', deer, '--config', denverConfig, '--out', file]), heed(['replay', deer, '--config', denverConfig, '--format', 'json'])]);
    expect([report.code, json.code]).toEqual([0, 0]);
    findings = (JSON.parse(json.stdout) as { findings: Finding[] }).findings;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('marks the tow promise broken on Tuesday and kept late, the gaps, the burden and the surveys', async () => {
    const { page, requests } = await openReport(browser, file);
    const svg = page.locator('section[data-customer="deer-claim"] svg.timeline');
    const visible = async (selector: string) => (await svg.locator(selector).first().boundingBox()) !== null;

    // The tow to salvage: promised for Tuesday, came Wednesday.
    const tow = svg.locator('[data-mark="promise"][data-promise-id="tow-to-salvage"]');
    expect(await tow.getAttribute('data-status')).toBe('late');
    const broken = findings.filter((f) => f.kind === 'promise.broken');
    expect(broken.map((f) => f.details['promiseId'])).toContain('tow-to-salvage');
    expect(await svg.locator('[data-kind="promise.broken"]').count()).toBe(broken.length);
    expect(await visible('[data-kind="promise.broken"]')).toBe(true);
    expect(await svg.locator('[data-kind="promise.kept-late"]').count()).toBe(findings.filter((f) => f.kind === 'promise.kept-late').length);

    // Weeks without contact from the company, shaded.
    expect(await svg.locator('[data-kind="inattention.gap"]').count()).toBe(findings.filter((f) => f.kind === 'inattention.gap').length);
    expect(await visible('[data-kind="inattention.gap"] rect.gap')).toBe(true);

    // Burden rising to level 3; the dealer's computer reset tried twice.
    const levels = await svg.locator('[data-kind="burden.escalated"]').evaluateAll((marks) => marks.map((m) => m.getAttribute('data-level')));
    expect(levels).toEqual(findings.filter((f) => f.kind === 'burden.escalated').map((f) => String(f.details['level'])));
    expect(await svg.locator('[data-mark="fix"][data-outcome="failed"]').count()).toBe(2);
    expect(await visible('[data-kind="burden.repeated-remedy"]')).toBe(true);

    // The survey mid-repair and the call after he left: both sent at the wrong moment.
    expect(await svg.locator('[data-mark="survey"][data-mistimed="true"]').count()).toBe(2);
    expect(await visible('[data-kind="survey.due"] rect.window')).toBe(true);
    expect(await visible('[data-kind="survey.too-late"]')).toBe(true);
    expect(await visible('[data-mark="relationship-ended"]')).toBe(true);

    // Contacts: the customer's calls (inbound) far outnumber the company's.
    const inbound = await svg.locator('[data-mark="contact"][data-direction="inbound"]').count();
    const outbound = await svg.locator('[data-mark="contact"][data-direction="outbound"]').count();
    expect(inbound).toBeGreaterThan(outbound);

    // Every finding's message is listed under the picture, each with its own mark.
    const items = page.locator('section[data-customer="deer-claim"] ol.findings li');
    expect(await items.count()).toBe(findings.length);
    expect(await svg.locator('a.finding').count()).toBe(findings.length);
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'deer-claim-report.png'), fullPage: true });
    await page.close();
  });

  it('is the same file on every run', async () => {
    const again = join(artifacts, 'deer-claim-report-again.html');
    const result = await heed(['report', journeys('deer-claim.jsonl'), '--config', denverConfig, '--out', again]);
    expect(result.code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(file, 'utf8'));
  });
});
