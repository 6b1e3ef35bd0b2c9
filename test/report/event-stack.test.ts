import { describe, expect, it } from 'vitest';
import { Calendar, type Snapshot } from '../../src/index.js';
import { placeEventMarks } from '../../src/report/event-stack.js';
import { buildJourney } from '../../src/report/journey.js';
import { renderReport } from '../../src/report/render-report.js';
import { timeScale } from '../../src/report/time-axis.js';

/**
 * Event marks close in time were drawn over each other (a fix attempt just before a matter's
 * resolution hid the resolution's dot). Each is moved up or down clear of those placed before it:
 * a fix attempt stays where it is (a finding's ring may circle it), contacts move only away from
 * the line, and a lane grows by the room its moved marks need.
 */

const MINUTE = 60_000;
const t0 = Date.parse('2024-03-01T09:00:00Z');
const event = (n: number, type: string, minutes: number, data: Record<string, unknown>) => ({
  id: `e${n}`,
  customerId: 'c',
  type,
  at: new Date(t0 + minutes * MINUTE).toISOString(),
  time: t0 + minutes * MINUTE,
  data: { matterId: 'm1', ...data },
});
// A day over 1000 px: a minute is 0.69 px, so marks minutes apart meet.
const scale = timeScale(t0, t0 + 1440 * MINUTE, 0, 1000);
const laneKey = (matterId: string | null) => (matterId === 'm1' ? 'matter:m1' : 'relationship');

describe('placeEventMarks', () => {
  it('leaves marks apart in time where their kind goes, and the lanes as they are', () => {
    const events = [
      event(1, 'MatterOpened', 0, { title: 'Oven', severity: 'high' }),
      event(2, 'FixAttempted', 60, { outcome: 'failed' }),
      event(3, 'ContactMade', 120, { direction: 'outbound' }),
      event(4, 'MatterResolved', 180, {}),
    ];
    const placed = placeEventMarks(buildJourney('c', events, []), scale, laneKey);
    expect(placed.offsets.size).toBe(0);
    expect(placed.growth.size).toBe(0);
  });

  it('moves a resolution off a fix attempt just before it, keeping the fix attempt where it is', () => {
    const events = [event(1, 'MatterOpened', 0, {}), event(2, 'FixAttempted', 600, { outcome: 'succeeded' }), event(3, 'MatterResolved', 610, {})];
    const placed = placeEventMarks(buildJourney('c', events, []), scale, laneKey);
    expect(placed.offsets.get(events[1]!)).toBeUndefined();
    // Up (the nearer way, at equal distance): half the diamond, its stroke and gap, and the dot's 4.
    expect(placed.offsets.get(events[2]!)).toBeCloseTo(-(5 * Math.SQRT2 + 1 + 4), 9);
    expect(placed.growth.size).toBe(0);
  });

  it('piles contacts at one instant away from the line, calls out up and calls in down, and grows the lane for them', () => {
    const out = [2, 3, 4].map((n) => event(n, 'ContactMade', 600, { direction: 'outbound' }));
    const inbound = [5, 6, 7].map((n) => event(n, 'ContactMade', 600, { direction: 'inbound' }));
    const task = event(8, 'CustomerTaskRequested', 600, {});
    const events = [event(1, 'MatterOpened', 0, {}), ...out, ...inbound, task];
    const placed = placeEventMarks(buildJourney('c', events, []), scale, laneKey);
    // 11 apart (a dot of 5 either side and a pixel between): -10, -21, -32 from the line; 10, 21, 32.
    expect(out.map((e) => placed.offsets.get(e) ?? 0)).toEqual([0, -11, -22]);
    expect(inbound.map((e) => placed.offsets.get(e) ?? 0)).toEqual([0, 11, 22]);
    // The task, below the line at 21.5 (17.5 to 25.5 with its gap), moves below the last call in (ending at 37.5).
    expect(placed.offsets.get(task)).toBe(20);
    // Room: 18 above the line, 25.5 below; the top call reaches -37.5 and the task 45.5.
    expect(placed.growth.get('matter:m1')).toEqual({ above: 20, below: 20 });
  });

  it('draws the ring of a repeated fix attempt around that attempt\'s mark, moved off the one before it', () => {
    const events = [event(1, 'MatterOpened', 0, {}), event(2, 'FixAttempted', 600, { outcome: 'failed', method: 'reboot' }), event(3, 'FixAttempted', 605, { outcome: 'failed', method: 'reboot' })];
    const finding = { kind: 'burden.repeated-remedy', customerId: 'c', matterId: 'm1', detectedAt: events[2]!.at, severity: 'warning', message: 'Again.', evidence: ['e2', 'e3'], details: { method: 'reboot', failures: 2 } } as const;
    const snapshot: Snapshot = { asOf: events[2]!.at, customers: 1, events: 3, findings: [finding], summaries: { c: {} } };
    const html = renderReport({ snapshot, events, calendar: new Calendar() });
    const centres = [...html.matchAll(/data-mark="fix"[^>]*rotate\(45 ([\d.]+) ([\d.]+)\)/g)].map((m) => [m[1], m[2]]);
    expect(centres).toHaveLength(2);
    expect(centres[1]?.[1]).not.toBe(centres[0]?.[1]);
    const ring = /<circle class="ring" cx="([\d.]+)" cy="([\d.]+)"/.exec(html);
    expect([ring?.[1], ring?.[2]]).toEqual(centres[1]);
  });
});
