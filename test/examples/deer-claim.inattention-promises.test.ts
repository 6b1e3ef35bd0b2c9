import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/index.js';
import { examples, replayJourney } from './journeys.js';

/**
 * The deer claim of seed 001, replayed as a reader of the essay would: which silences, which
 * promises broken. Calendar: Denver, 08:00–17:00 on weekdays, Thanksgiving and the days around
 * the holidays off (examples/heed.config.json). The claim is a high-severity matter, so the
 * default allowed silence is one working day.
 */
const gaps = (findings: readonly Finding[]) => findings.filter((f) => f.kind === 'inattention.gap');
const byKind = (findings: readonly Finding[], kind: string) => findings.filter((f) => f.kind === kind).map((f) => f.details['promiseId']);

describe('deer claim (seed 001): gaps of inattention', () => {
  it('finds the slow start and the two months nobody called, with the customer chasing', async () => {
    const { snapshot } = await replayJourney('deer-claim.jsonl');
    expect(gaps(snapshot.findings).map((f) => ({ ...f.details, evidence: f.evidence.length, detectedAt: f.detectedAt }))).toEqual([
      // Mon 11/20 (the hit) to Thu 11/30 (the voice mail: repairable): the customer called on 11/27, 11/28 and 11/29.
      { since: '2017-11-20T14:25:00.000Z', until: '2017-11-30T15:20:00.000Z', silenceMinutes: 3260, allowedMinutes: 540, clock: 'business', chases: 3, evidence: 5, detectedAt: '2017-11-21T15:00:00.000Z' },
      // After the adjuster's estimate email on 11/30, no outbound call until the body shop rang on 1/26:
      // "I haven't heard a word from anyone at the insurance company or the body shop since 12/4".
      { since: '2017-11-30T22:30:00.000Z', until: '2018-01-26T17:00:00.000Z', silenceMinutes: 20190, allowedMinutes: 540, clock: 'business', chases: 10, evidence: 12, detectedAt: '2017-12-01T22:30:00.000Z' },
      { since: '2018-01-26T17:00:00.000Z', until: '2018-01-29T23:00:00.000Z', silenceMinutes: 900, allowedMinutes: 540, clock: 'business', chases: 0, evidence: 2, detectedAt: '2018-01-29T17:00:00.000Z' },
      { since: '2018-01-29T23:00:00.000Z', until: '2018-02-02T16:00:00.000Z', silenceMinutes: 1740, allowedMinutes: 540, clock: 'business', chases: 1, evidence: 3, detectedAt: '2018-01-30T23:00:00.000Z' },
    ]);
    const long = gaps(snapshot.findings)[1];
    expect(long?.severity).toBe('critical');
    expect(long?.message).toBe(
      'Nobody from the company updated the customer on "Deer collision: 2017 Subaru Outback" from Thu 30 Nov 2017 15:30 until Fri 26 Jan 2018 10:00 (336 working hours 30 minutes; 1 working day (9 working hours) allowed); the customer chased 10 times.',
    );
    // The automated survey (12/12) and the refinance mailer (12/15) fell inside that gap and did not end it.
    expect(long?.evidence).not.toContain('deer-029');
  });

  it('holds the local agent to account: zero contact from 11/20 until the car came back, over nine weeks', async () => {
    const { snapshot } = await replayJourney('deer-claim.jsonl', { options: { inattention: { parties: ['agent', 'agent-office'] } } });
    const [agent, ...others] = gaps(snapshot.findings);
    expect(others).toEqual([]);
    expect(agent).toMatchObject({
      matterId: 'claim',
      detectedAt: '2017-11-21T15:00:00.000Z',
      details: { since: '2017-11-20T14:25:00.000Z', until: '2018-02-02T23:30:00.000Z', chases: 17, parties: ['agent', 'agent-office'] },
    });
    const weeks = (Date.parse(String(agent?.details['until'])) - Date.parse(String(agent?.details['since']))) / (7 * 86_400_000);
    expect(weeks).toBeGreaterThan(9);
    // It opens with the claim and closes with the car back (the resolution); the agent's call after the
    // customer left (a why-did-you-leave survey call, deer-059) is no attention.
    expect(agent?.evidence[0]).toBe('deer-003');
    expect(agent?.evidence.at(-1)).toBe('deer-054');
    expect(agent?.message).toMatch(/^Nobody from agent or agent-office updated the customer .* \(449 working hours 30 minutes; 1 working day \(9 working hours\) allowed\); the customer chased 17 times\.$/);
  });

  it('on a weekly calendar allowance, the agent gap opens a week after the hit: "It has been a week since the accident. Zero contact from the agent."', async () => {
    const { snapshot } = await replayJourney('deer-claim.jsonl', {
      options: { inattention: { parties: ['agent', 'agent-office'], clock: 'calendar', maxSilence: 'P7D', severityLimits: { high: 'P7D' } } },
    });
    expect(gaps(snapshot.findings).map((f) => f.detectedAt)).toEqual(['2017-11-27T14:25:00.000Z']);
  });
});

describe('deer claim (seed 001): promises', () => {
  it('the tow promised for Tuesday came Wednesday: broken at Tuesday 17:00, kept 18 hours late', async () => {
    const { snapshot } = await replayJourney('deer-claim.jsonl');
    const tow = snapshot.findings.filter((f) => f.details['promiseId'] === 'tow-to-salvage');
    expect(tow.map((f) => [f.kind, f.detectedAt])).toEqual([
      ['promise.at-risk', '2017-11-21T20:00:00.000Z'],
      ['promise.broken', '2017-11-22T00:00:00.000Z'],
      ['promise.kept-late', '2017-11-22T18:00:00.000Z'],
    ]);
    expect(tow[1]?.details).toMatchObject({ party: 'national-claims', explicit: false, dueBy: '2017-11-22T00:00:00.000Z' });
    expect(tow[2]?.details).toMatchObject({ lateMinutes: 18 * 60, keptAt: '2017-11-22T18:00:00.000Z' });
  });

  it('the broken tow is known on Tuesday evening, before anything else happens', async () => {
    const { snapshot } = await replayJourney('deer-claim.jsonl', { asOf: '2017-11-21T18:00:00-07:00' });
    expect(snapshot.findings.map((f) => f.kind)).toEqual(['inattention.gap', 'promise.at-risk', 'promise.broken']);
  });

  it('broken: the tow, the parts "in a week", the car back "the week of the 8th", the sensor "for Monday"; kept: the adjuster, the tow to the body shop, the car back Friday', async () => {
    const { snapshot } = await replayJourney('deer-claim.jsonl');
    expect(byKind(snapshot.findings, 'promise.broken')).toEqual(['tow-to-salvage', 'parts', 'repair', 'sensor']);
    expect(byKind(snapshot.findings, 'promise.kept-late')).toEqual(['tow-to-salvage', 'parts', 'repair']);
    const summary = snapshot.summaries['deer-claim']?.['promises'] as { promises: { promiseId: string; status: string; revisionsBeforeDue: number }[] };
    expect(Object.fromEntries(summary.promises.map((p) => [p.promiseId, p.status]))).toEqual({
      'tow-to-salvage': 'kept-late',
      'adjuster-inspection': 'kept',
      'tow-to-body-shop': 'kept',
      parts: 'kept-late',
      repair: 'kept-late',
      sensor: 'broken',
      'car-back': 'kept',
    });
    // The repair date was renegotiated twice ahead of time (12/16, 12/29), then missed all the same.
    expect(summary.promises.find((p) => p.promiseId === 'repair')?.revisionsBeforeDue).toBe(2);
    const repairLate = snapshot.findings.find((f) => f.kind === 'promise.kept-late' && f.details['promiseId'] === 'repair');
    expect(repairLate?.details).toMatchObject({ dueBy: '2018-01-13T00:00:00.000Z', keptAt: '2018-02-02T23:30:00.000Z' });
  });

  it('groups keep rate by party: every party represents the company', async () => {
    const { snapshot } = await replayJourney('deer-claim.jsonl');
    const summary = snapshot.summaries['deer-claim']?.['promises'] as { keepRate: number; byParty: Record<string, { made: number; keepRate: number | null }> };
    expect(summary.keepRate).toBe(0.429);
    expect(Object.fromEntries(Object.entries(summary.byParty).map(([party, r]) => [party, [r.made, r.keepRate]]))).toEqual({
      adjuster: [1, 1],
      'body-shop': [3, 0.333],
      'national-claims': [2, 0.5],
      'subaru-dealer': [1, 0],
    });
  });
});

describe('deer claim (seed 001): every finding explains itself', () => {
  it('carries evidence that exists in the journey and one plain sentence', async () => {
    const ids = new Set(
      readFileSync(`${examples}journeys/deer-claim.jsonl`, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { id: string }).id),
    );
    for (const options of [{}, { inattention: { parties: ['agent'] } }]) {
      const { snapshot } = await replayJourney('deer-claim.jsonl', { options });
      expect(snapshot.findings.length).toBeGreaterThan(0);
      for (const finding of snapshot.findings) {
        expect(finding.evidence.length, finding.message).toBeGreaterThan(0);
        for (const id of finding.evidence) expect(ids.has(id), `${id} in ${finding.kind}`).toBe(true);
        expect(finding.message).toMatch(/^[A-Z].*\.$/);
        expect(finding.message).not.toMatch(/undefined|null|NaN|\[object/);
      }
    }
  });
});
