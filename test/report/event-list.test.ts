import { describe, expect, it } from 'vitest';
import { Calendar, builtinPolicies, type Snapshot } from '../../src/index.js';
import { renderReport } from '../../src/report/render-report.js';
import { journeys, reportOf, sectionOf } from './helpers.js';

/**
 * Every event of a customer is listed, folded, under its timeline (time in the calendar's zone,
 * what happened), so the keyboard and a screen reader reach what the marks show; each event mark
 * is a link to its entry (`#e<customer>-<n>`, n its number in the list) instead of carrying a <title> copy.
 */
const entriesOf = (section: string) => {
  const list = /<details><summary>Events \((\d+)\)<\/summary><ol class="events">([^]*?)<\/ol><\/details>/.exec(section);
  const items = [...(list?.[2] ?? '').matchAll(/<li id="([^"]+)">([^]*?)<\/li>/g)];
  return { count: Number(list?.[1]), entries: items.map((m) => m[2] ?? ''), ids: items.map((m) => m[1] ?? '') };
};

describe('the events list under each timeline', () => {
  it('lists every event of the customer in time order, with its time in the calendar\'s zone and what happened', async () => {
    const { html } = await reportOf([journeys('mixed.jsonl')], builtinPolicies);
    const section = sectionOf(html, 'bakery-oven');
    const { count, entries } = entriesOf(section);
    expect(section).toContain('<span class="muted">13 events · ');
    expect(count).toBe(13);
    expect(entries).toEqual([
      'Wed 1 Mar 2023 00:00 · relationship started',
      'Mon 4 Mar 2024 06:10 · matter "Deck oven will not heat" opened, resolved Thu 7 Mar 2024 11:00',
      'Mon 4 Mar 2024 06:12 · the customer contacted by phone (complaint)',
      'Mon 4 Mar 2024 06:25 · promise "A technician on site Tuesday between 8 and noon" (dispatch) made, due Tue 5 Mar 2024 12:00; kept late; settled Tue 5 Mar 2024 14:40',
      'Tue 5 Mar 2024 14:40 · promise "A technician on site Tuesday between 8 and noon" kept',
      'Tue 5 Mar 2024 15:30 · fix attempt "replace-igniter": failed (technician)',
      "Tue 5 Mar 2024 15:40 · asked the customer to: Send photos of the oven's rating plate and error display",
      'Wed 6 Mar 2024 10:00 · fix attempt "replace-igniter": failed (technician)',
      'Wed 6 Mar 2024 10:30 · contacted the customer by phone (update) · service-manager',
      'Thu 7 Mar 2024 09:00 · fix attempt "replace-control-board": succeeded (technician)',
      'Thu 7 Mar 2024 11:00 · matter "Deck oven will not heat" resolved',
      'Fri 8 Mar 2024 14:00 · survey "oven-csat" sent',
      'Mon 11 Mar 2024 07:00 · survey "oven-csat" answered (score 4)',
    ]);
  });

  it('gives event marks no <title> copy: each links to its entry, which says what the mark showed', async () => {
    const { html } = await reportOf([journeys('mixed.jsonl'), journeys('deer-claim.jsonl')], builtinPolicies);
    for (const [c, customer] of ['bakery-oven', 'deer-claim', 'fiber-outage', 'gym-cancel'].entries()) {
      const section = sectionOf(html, customer);
      const picture = section.slice(section.indexOf('<svg class="timeline"'), section.indexOf('</svg></div>'));
      // Only a lane label cut short keeps a <title> (its whole text).
      expect(picture.replace(/<text class="lane-(sub)?label"[^>]*><title>[^<]*<\/title>/g, ''), customer).not.toContain('<title>');
      const { entries, ids } = entriesOf(section);
      // Entry n of the section's customer (customer c + 1 in the report's order), n in time order.
      expect(ids, customer).toEqual(entries.map((_, n) => `e${c + 1}-${n + 1}`));
      // A mark is its link (a promise) or is wrapped in it, out of the Tab order.
      const marks = [...picture.matchAll(/(?:<a href="#([^"]+)" tabindex="-1">)?(<\w+ [^>]*data-mark="([^"]+)"[^>]*>)/g)];
      expect(marks.length, customer).toBeGreaterThan(3);
      for (const [, wrapper, tag, mark] of marks) {
        if (mark === 'burden-level') continue; // drawn from findings, not from one event
        const own = /^<a href="#([^"]+)" tabindex="-1" /.exec(tag ?? '')?.[1];
        expect(ids, tag).toContain(wrapper ?? own);
      }
    }
    const bakery = sectionOf(html, 'bakery-oven');
    const { entries } = entriesOf(bakery);
    const entryOf = (pattern: RegExp) => entries[Number(pattern.exec(bakery)?.[1]) - 1];
    expect(entryOf(/<a href="#e1-(\d+)" tabindex="-1"><circle [^>]*data-mark="contact" data-direction="inbound"/)).toBe('Mon 4 Mar 2024 06:12 · the customer contacted by phone (complaint)');
    expect(entryOf(/<a href="#e1-(\d+)" tabindex="-1"><circle [^>]*data-mark="matter-resolved"/)).toBe('Thu 7 Mar 2024 11:00 · matter "Deck oven will not heat" resolved');
    expect(entryOf(/<a href="#e1-(\d+)" tabindex="-1" class="promise status-late" data-mark="promise"/)).toMatch(/^Mon 4 Mar 2024 06:25 · promise "A technician/);
  });

  it('lists the events no mark draws too: status changes, revisions, answers, a plugin\'s own types; a reopened matter\'s second period refers to its reopening', () => {
    const at = (s: string) => ({ at: s, time: Date.parse(s) });
    const c = 'c';
    const events = [
      { customerId: c, type: 'MatterOpened', ...at('2024-01-01T09:00:00Z'), data: { matterId: 'm' } },
      { customerId: c, type: 'MatterStatusChanged', ...at('2024-01-01T10:00:00Z'), data: { matterId: 'm', status: 'waiting-on-customer' } },
      { customerId: c, type: 'PromiseMade', ...at('2024-01-01T11:00:00Z'), data: { promiseId: 'p', what: 'Call <back>', dueBy: '2024-01-02T11:00:00Z' } },
      { customerId: c, type: 'PromiseRevised', ...at('2024-01-01T12:00:00Z'), data: { promiseId: 'p', dueBy: '2024-01-03T11:00:00Z' } },
      { customerId: c, type: 'PromiseCancelled', ...at('2024-01-01T13:00:00Z'), data: { promiseId: 'p' } },
      { customerId: c, type: 'MatterResolved', ...at('2024-01-02T09:00:00Z'), data: { matterId: 'm' } },
      { customerId: c, type: 'MatterReopened', ...at('2024-01-03T09:00:00Z'), data: { matterId: 'm' } },
      { customerId: c, type: 'FeedbackReceived', ...at('2024-01-03T10:00:00Z'), data: { feedbackId: 'f', text: 'slow' } },
      { customerId: c, type: 'FeedbackAnswered', ...at('2024-01-03T11:00:00Z'), data: { feedbackId: 'f' } },
      { customerId: c, type: 'LoyaltyPointsAdded', ...at('2024-01-03T12:00:00Z'), data: { points: 5 } },
      { customerId: c, type: 'RelationshipEnded', ...at('2024-01-04T09:00:00Z'), data: {} },
    ];
    const snapshot: Snapshot = { asOf: '2024-01-05T00:00:00.000Z', customers: 1, events: events.length, findings: [], summaries: { c: {} } };
    const html = renderReport({ snapshot, events, calendar: new Calendar() });
    const { count, entries } = entriesOf(sectionOf(html, c));
    expect(count).toBe(11);
    expect(entries).toEqual([
      'Mon 1 Jan 2024 09:00 · matter "m" opened, resolved Tue 2 Jan 2024 09:00',
      'Mon 1 Jan 2024 10:00 · matter "m" now waiting-on-customer',
      'Mon 1 Jan 2024 11:00 · promise "Call &lt;back&gt;" made, due Wed 3 Jan 2024 11:00; cancelled; settled Mon 1 Jan 2024 13:00',
      'Mon 1 Jan 2024 12:00 · promise "Call &lt;back&gt;" revised, due Wed 3 Jan 2024 11:00',
      'Mon 1 Jan 2024 13:00 · promise "Call &lt;back&gt;" cancelled',
      'Tue 2 Jan 2024 09:00 · matter "m" resolved',
      'Wed 3 Jan 2024 09:00 · matter "m" reopened, still open',
      'Wed 3 Jan 2024 10:00 · feedback "f" received: slow',
      'Wed 3 Jan 2024 11:00 · feedback "f" answered',
      'Wed 3 Jan 2024 12:00 · <code>LoyaltyPointsAdded</code>',
      'Thu 4 Jan 2024 09:00 · the customer left',
    ]);
    const matters = [...html.matchAll(/<a href="#e1-(\d+)" tabindex="-1"><rect [^>]*data-mark="matter" /g)].map((m) => m[1]);
    expect(matters).toEqual(['1', '7']);
  });

  it('says nothing of events for a customer with none (findings only)', () => {
    const at = '2024-01-02T09:00:00.000Z';
    const finding = { kind: 'x.y', customerId: 'solo', matterId: null, detectedAt: at, severity: 'info', message: 'Hello.', evidence: [], details: {} } as const;
    const snapshot: Snapshot = { asOf: at, customers: 1, events: 0, findings: [finding], summaries: {} };
    expect(renderReport({ snapshot, events: [], calendar: new Calendar() })).not.toContain('Events (');
  });
});
