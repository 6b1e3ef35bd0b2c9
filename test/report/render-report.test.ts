import { describe, expect, it } from 'vitest';
import { Calendar, Engine, UsageError, builtinPolicies, type Snapshot } from '../../src/index.js';
import { renderReport } from '../../src/report/render-report.js';
import { fixturePolicies } from '../fixtures/contract-kinds-policy.js';
import { count, journeys, reportOf, sectionOf } from './helpers.js';

/**
 * The HTML report, from the events and contract findings (stand-in policies): self-contained,
 * an overview row and a timeline per customer, one mark per finding, marks for events.
 */
const files = [journeys('mixed.jsonl'), journeys('deer-claim.jsonl')];

describe('renderReport', () => {
  it('is one self-contained file: no external asset, link or request', async () => {
    const { html } = await reportOf(files, fixturePolicies);
    expect(html).not.toMatch(/<link|<img|<iframe|\ssrc=|https?:\/\/|@import|url\(/i);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(count(html, /<style>/)).toBe(1);
    expect(count(html, /<script>/)).toBe(1);
  });

  it('has an overview row per customer, linking to that customer\'s timeline', async () => {
    const { html, snapshot } = await reportOf(files, fixturePolicies);
    const rows = [...html.matchAll(/<tr data-customer="([^"]+)"[^>]*><td data-sort="[^"]*"><a href="#([^"]+)">/g)];
    expect(rows.map((r) => r[1])).toEqual(Object.keys(snapshot.summaries));
    for (const [, customer, anchor] of rows) {
      expect(html).toContain(`<section class="customer" id="${anchor}" aria-labelledby="${anchor}-name" data-customer="${customer}">`);
      expect(sectionOf(html, customer ?? '')).toMatch(/<svg class="timeline" viewBox="0 0 1000 \d+"/);
    }
  });

  it('lists every finding\'s message under its picture and gives it exactly one mark of its kind', async () => {
    const { html, snapshot } = await reportOf(files, fixturePolicies);
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const customerId of Object.keys(snapshot.summaries)) {
      const section = sectionOf(html, customerId);
      const findings = snapshot.findings.filter((f) => f.customerId === customerId);
      const items = [...section.matchAll(/<li id="([^"]+)" data-kind="([^"]+)"/g)];
      expect(items.map((i) => i[2])).toEqual(findings.map((f) => f.kind));
      for (const [i, item] of items.entries()) {
        // The mark links to the message and is named by it (a screen reader reads it on the mark).
        expect(count(section, new RegExp(`<a href="#${item[1]}" class="finding" aria-labelledby="${item[1]}" data-kind="${item[2]?.replace('.', '\\.')}"`))).toBe(1);
        // Written once, in the list: the mark repeats no message (the script shows it on hover and focus).
        const message = esc(findings[i]?.message ?? '-');
        expect(section.split(message).length - 1, message).toBe(findings.filter((f) => esc(f.message) === message).length);
      }
    }
  });

  it('draws contacts by direction, fixes by outcome and promises by status', async () => {
    const { html, events } = await reportOf(files, fixturePolicies);
    const bakery = sectionOf(html, 'bakery-oven');
    const contacts = events.filter((e) => e.customerId === 'bakery-oven' && e.type === 'ContactMade');
    expect(count(bakery, /data-mark="contact" data-direction="inbound"/)).toBe(contacts.filter((e) => (e.data as { direction: string }).direction === 'inbound').length);
    expect(count(bakery, /data-mark="contact" data-direction="outbound"/)).toBe(contacts.filter((e) => (e.data as { direction: string }).direction === 'outbound').length);
    expect([...bakery.matchAll(/data-mark="fix" data-outcome="(\w+)"/g)].map((m) => m[1])).toEqual(['failed', 'failed', 'succeeded']);
    expect(bakery).toContain('data-mark="promise" data-status="late" data-promise-id="visit"');
    const fiber = sectionOf(html, 'fiber-outage');
    expect(fiber).toContain('data-mark="promise" data-status="broken" data-promise-id="credit"'); // PromiseBroken: explicit
    expect(fiber).toContain('data-mark="promise" data-status="kept" data-promise-id="splice"'); // revised before due, then kept
  });

  it('shades gaps, marks mistimed surveys and survey windows, and steps the burden level', async () => {
    const { html, snapshot } = await reportOf(files, fixturePolicies);
    const fiber = sectionOf(html, 'fiber-outage');
    expect(fiber).toMatch(/data-kind="inattention\.gap"[^>]*><rect class="gap"/);
    expect(fiber).toContain('data-mark="survey" data-survey-id="support-csat" data-mistimed="true"');
    expect(fiber).toMatch(/data-kind="survey\.due"[^>]*><rect class="window"/);
    const bakery = sectionOf(html, 'bakery-oven');
    const levels = snapshot.findings.filter((f) => f.customerId === 'bakery-oven' && f.kind === 'burden.escalated').map((f) => String(f.details['level']));
    expect([...bakery.matchAll(/data-kind="burden\.escalated" data-severity="\w+" data-level="(\d+)"/g)].map((m) => m[1])).toEqual(levels);
    expect(bakery).toMatch(/<path class="burden" data-mark="burden-level" d="M[\d.]+ [\d.]+ H[\d.]+ V[\d.]+ H[\d.]+ V[\d.]+ H[\d.]+"/);
  });

  it('puts kinds it does not know (plugins) in an "Other findings" lane', async () => {
    const { html } = await reportOf(files, fixturePolicies);
    const gym = sectionOf(html, 'gym-cancel');
    expect(gym).toContain('data-lane="other"');
    expect(gym).toMatch(/<a href="#(customer-\d+-finding-\d+)" class="finding" aria-labelledby="\1" data-kind="farewell\.left"[^>]*><path class="diamond"/);
    expect(gym).toMatch(/<li id="customer-\d+-finding-\d+" data-kind="farewell\.left"[^>]*>.*The customer left\.<\/li>/);
    expect(sectionOf(html, 'fiber-outage')).not.toContain('data-lane="other"');
  });

  it('renders journeys without any policy: lanes and event marks, no findings', async () => {
    const { html, events } = await reportOf(files, []);
    expect(count(html, /<svg class="timeline"/)).toBe(4);
    expect(html).not.toContain('class="finding" aria-labelledby=');
    // One bar per open period: every opening and every reopening.
    expect(count(html, /data-mark="matter"/)).toBe(events.filter((e) => e.type === 'MatterOpened' || e.type === 'MatterReopened').length);
    expect(html).toContain('No findings: nothing was forgotten.');
  });

  it('ranks customers in the overview by the highest burden level reached, not by how many escalations', () => {
    const at = (day: number) => `2024-01-${String(day).padStart(2, '0')}T09:00:00.000Z`;
    const escalated = (customerId: string, level: number, day: number) =>
      ({ kind: 'burden.escalated', customerId, matterId: null, detectedAt: at(day), severity: 'warning', message: 'Escalated.', evidence: [], details: { level } }) as const;
    // "twice" reached level 2 once; "thrice" reached level 1 three times (its score fell back in between).
    const findings = [escalated('thrice', 1, 2), escalated('twice', 1, 3), escalated('twice', 2, 4), escalated('thrice', 1, 5), escalated('thrice', 1, 8)];
    const snapshot: Snapshot = { asOf: at(9), customers: 2, events: 0, findings, summaries: {} };
    const html = renderReport({ snapshot, events: [], calendar: new Calendar() });
    const burdenCell = (customer: string) => new RegExp(`<tr data-customer="${customer}"[^>]*>(?:<td[^>]*>.*?</td>){8}(<td[^>]*>.*?</td>)`).exec(html)?.[1];
    expect(burdenCell('twice')).toBe('<td data-sort="2">level 2</td>');
    expect(burdenCell('thrice')).toBe('<td data-sort="1">level 1</td>');
  });

  it('words the longest silence in the overview as the gap messages word spans (weeks and days)', () => {
    const at = '2024-01-02T09:00:00.000Z';
    const gap = (silenceMinutes: number) =>
      ({ kind: 'inattention.gap', customerId: 'deer', matterId: 'claim', detectedAt: at, severity: 'warning', message: 'Silent.', evidence: [], details: { silenceMinutes } }) as const;
    const nineWeeksTwoDays = (9 * 7 + 2) * 1440;
    const snapshot: Snapshot = { asOf: at, customers: 1, events: 0, findings: [gap(3 * 60), gap(nineWeeksTwoDays)], summaries: { deer: {} } };
    const html = renderReport({ snapshot, events: [], calendar: new Calendar() });
    expect(html).toContain(`<td data-sort="${nineWeeksTwoDays}">9 weeks 2 days</td>`);
  });

  it('words a business-clock silence in working hours, as the gap message does, not as calendar weeks', async () => {
    const at = '2024-01-02T09:00:00.000Z';
    const gap = { kind: 'inattention.gap', customerId: 'deer', matterId: 'claim', detectedAt: at, severity: 'warning', message: 'Silent.', evidence: [], details: { silenceMinutes: 93_630, clock: 'business' } } as const;
    const snapshot: Snapshot = { asOf: at, customers: 1, events: 0, findings: [gap], summaries: { deer: {} } };
    expect(renderReport({ snapshot, events: [], calendar: new Calendar() })).toContain('<td data-sort="93630">1560 working hours 30 minutes</td>');

    // The deer claim through the real inattention policy (business clock by default): the cell is
    // the measurement its longest gap's message gives.
    const { html, snapshot: real } = await reportOf([journeys('deer-claim.jsonl')], builtinPolicies);
    const gaps = real.findings.filter((f) => f.kind === 'inattention.gap' && f.customerId === 'deer-claim');
    const longest = gaps.reduce((a, b) => (Number(b.details['silenceMinutes']) > Number(a.details['silenceMinutes']) ? b : a));
    expect(longest.details['clock']).toBe('business');
    const cell = new RegExp(`<tr data-customer="deer-claim"[^>]*>(?:<td[^>]*>.*?</td>){6}<td[^>]*>(.*?)</td>`).exec(html)?.[1] ?? '';
    expect(cell).toMatch(/working/);
    expect(longest.message).toContain(`(${cell}`);
  });

  it('draws what is still open up to the as-of instant, not on into the future: an open gap, an open matter', async () => {
    const engine = new Engine();
    await engine.record([
      { customerId: 'c', type: 'MatterOpened', at: '2024-03-04T09:00:00Z', data: { matterId: 'm', title: 'Oven' } },
      { customerId: 'c', type: 'PromiseMade', at: '2024-03-04T10:00:00Z', data: { promiseId: 'p', what: 'Call back', dueBy: '2024-03-20T17:00:00Z', matterId: 'm' } },
    ]);
    await engine.advanceTo('2024-03-12T12:00:00Z');
    const snapshot = engine.snapshot();
    const gap = snapshot.findings.find((f) => f.kind === 'inattention.gap');
    expect(gap?.details['until']).toBeNull();
    const html = renderReport({ snapshot, events: await engine.store.readAll(), calendar: engine.calendar });
    const asOfX = Number(/<line class="as-of" x1="([\d.]+)"/.exec(html)?.[1]);
    const right = (rect: RegExp) => {
      const [, x, width] = rect.exec(html) ?? [];
      return Number(x) + Number(width);
    };
    expect(right(/data-kind="inattention\.gap"[^>]*><rect class="gap" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/)).toBeCloseTo(asOfX, 1);
    expect(right(/<a href="#e1-1" tabindex="-1"><rect class="matter open" data-mark="matter" data-matter-id="m" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/)).toBeCloseTo(asOfX, 1);
    // The open promise is due after the as-of instant: its bar still runs to its due time.
    expect(right(/<a href="#e1-2" [^>]*data-promise-id="p"><rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/)).toBeGreaterThan(asOfX + 100);
  });

  it('counts in words: one customer, one event, one finding', () => {
    const at = '2024-01-02T09:00:00.000Z';
    const finding = { kind: 'x.y', customerId: 'solo', matterId: null, detectedAt: at, severity: 'info', message: 'Hello.', evidence: ['e1'], details: {} } as const;
    const snapshot: Snapshot = { asOf: at, customers: 1, events: 1, findings: [finding], summaries: { solo: {} } };
    const html = renderReport({ snapshot, events: [{ id: 'e1', customerId: 'solo', type: 'RelationshipStarted', at, time: Date.parse(at), data: {} }], calendar: new Calendar() });
    expect(html).toContain(' · 1 customer · 1 event · 1 finding</p>');
    expect(sectionOf(html, 'solo')).toContain('<span class="muted">1 event · 1 finding · <a href="#overview">');
  });

  it('refuses input events (no time) with an error naming the argument, not RangeError: Invalid time value', async () => {
    const engine = new Engine();
    const input = [{ id: 'e1', customerId: 'c', type: 'MatterOpened', at: '2024-01-02T09:00:00Z', data: { matterId: 'm' } }];
    await engine.record(input);
    const snapshot = engine.snapshot();
    expect(() => renderReport({ snapshot, events: input as never, calendar: engine.calendar })).toThrow(UsageError);
    expect(() => renderReport({ snapshot, events: input as never, calendar: engine.calendar })).toThrow(
      /^renderReport: events\[0\] \(id "e1"\) has no time .*await engine\.store\.readAll\(\)/,
    );
    // What the message advises works.
    expect(renderReport({ snapshot, events: await engine.store.readAll(), calendar: engine.calendar })).toContain('data-customer="c"');
  });

  it('writes quotes in text as they are (six bytes each as entities), escaping them only in attributes', () => {
    const at = '2024-01-02T09:00:00.000Z';
    const customerId = `o'neil "&" <co>`;
    const message = `The promise "call back" & 'more' <soon>.`;
    const finding = { kind: 'x.y', customerId, matterId: null, detectedAt: at, severity: 'info', message, evidence: [], details: {} } as const;
    const snapshot: Snapshot = { asOf: at, customers: 1, events: 0, findings: [finding], summaries: {} };
    const html = renderReport({ snapshot, events: [], calendar: new Calendar() });
    expect(html).toContain(`<br>The promise "call back" &amp; 'more' &lt;soon&gt;.</li>`);
    expect(html).toContain(`<h2 id="customer-1-name">o'neil "&amp;" &lt;co&gt;</h2>`);
    expect(html).toContain(`<section class="customer" id="customer-1" aria-labelledby="customer-1-name" data-customer="o&#39;neil &quot;&amp;&quot; &lt;co&gt;">`);
  });

  it('leaves to the style sheet what it can say once: no text-anchor or severity class on each mark, no trailing zeros', async () => {
    const { html } = await reportOf(files, fixturePolicies);
    expect(count(html, /<text class="tick-label/)).toBeGreaterThan(20);
    expect(html).not.toMatch(/ text-anchor=| severity-\w| sev-\w|<line class="tick"| x="0"/);
    expect(html).not.toMatch(/\d\.\d?0[ "LMHVZ,)]/);
  });

  it('is deterministic and escapes what it prints', async () => {
    const [a, b] = await Promise.all([reportOf(files, fixturePolicies), reportOf(files, fixturePolicies)]);
    expect(a.html).toBe(b.html);
    const snapshot: Snapshot = { asOf: '2024-01-02T00:00:00.000Z', customers: 1, events: 1, findings: [], summaries: { '<b>"x"</b>': {} } };
    const html = renderReport({
      snapshot,
      events: [{ customerId: '<b>"x"</b>', type: 'MatterOpened', at: '2024-01-01T00:00:00Z', time: Date.parse('2024-01-01T00:00:00Z'), data: { matterId: '<i>m</i>', title: '</svg><script>alert(1)</script>' } }],
      calendar: new Calendar(),
    });
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;b&gt;&quot;x&quot;&lt;/b&gt;');
  });
});

describe('renderReport input', () => {
  it('refuses an input field it does not know (a misspelt title left the default one), naming it and the known ones', async () => {
    const engine = new Engine();
    const input = { snapshot: engine.snapshot(), events: [], calendar: engine.calendar };
    expect(() => renderReport({ ...input, tittle: 'Claims' } as never)).toThrow(
      new UsageError('renderReport: unknown input field "tittle" (the input fields are "snapshot", "events", "calendar", "title"). Did you mean "title"?', { path: 'tittle', rule: 'unknown-field' }),
    );
    expect(() => renderReport(undefined as never)).toThrow(new UsageError('renderReport: the input must be an object, got undefined', { rule: 'invalid-type' }));
    expect(renderReport({ ...input, title: 'Claims' })).toContain('<title>Claims</title>');
  });
});
