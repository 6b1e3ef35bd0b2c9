import { describe, expect, it } from 'vitest';
import { Calendar, Engine, InvalidInputError, lifecycleErrors, parseJsonl } from '../../src/index.js';

/** Validate JSONL lines and return the lifecycle problems as "line: rule". */
function problems(lines: readonly object[]): string[] {
  const text = lines.map((l) => JSON.stringify({ customerId: 'c', ...l })).join('\n');
  const { events, errors } = parseJsonl(text, 'j.jsonl', { calendar: new Calendar() });
  expect(errors).toEqual([]);
  return lifecycleErrors(events).map((e) => `${e.line}: ${e.rule}`);
}

const opened = (at: string, matterId = 'm') => ({ type: 'MatterOpened', at, data: { matterId } });
const resolved = (at: string, matterId = 'm') => ({ type: 'MatterResolved', at, data: { matterId } });

describe('lifecycle rules', () => {
  it('accepts a valid journey', () => {
    expect(
      problems([
        { type: 'RelationshipStarted', at: '2017-01-01' },
        opened('2017-11-20'),
        { type: 'PromiseMade', at: '2017-11-20T10:00:00Z', data: { promiseId: 'p', what: 'tow', dueBy: '2017-11-21T17:00:00Z', matterId: 'm' } },
        { type: 'PromiseKept', at: '2017-11-22', data: { promiseId: 'p' } },
        resolved('2017-11-23'),
        { type: 'ContactMade', at: '2017-11-24', data: { matterId: 'm', direction: 'outbound', channel: 'email' } },
      ]),
    ).toEqual([]);
  });

  it('rejects references to unknown matters, promises, surveys and feedback', () => {
    expect(
      problems([
        resolved('2017-11-20'),
        { type: 'PromiseKept', at: '2017-11-20', data: { promiseId: 'nope' } },
        { type: 'SurveyAnswered', at: '2017-11-20', data: { surveyId: 's' } },
        { type: 'FeedbackAnswered', at: '2017-11-20', data: { feedbackId: 'f' } },
        { type: 'ContactMade', at: '2017-11-20', data: { matterId: 'ghost', direction: 'inbound', channel: 'phone' } },
      ]),
    ).toEqual(['1: unknown-matter', '2: unknown-promise', '3: unknown-survey', '4: unknown-feedback', '5: unknown-matter']);
  });

  it('rejects resolving a resolved matter and reopening an open one', () => {
    expect(problems([opened('2017-11-20'), resolved('2017-11-21'), resolved('2017-11-22'), { type: 'MatterReopened', at: '2017-11-23', data: { matterId: 'm' } }, { type: 'MatterReopened', at: '2017-11-24', data: { matterId: 'm' } }])).toEqual([
      '3: matter-resolved',
      '5: matter-not-resolved',
    ]);
  });

  it('rejects opening a matter twice and fixing a resolved matter', () => {
    expect(
      problems([
        opened('2017-11-20'),
        opened('2017-11-21'),
        resolved('2017-11-22'),
        { type: 'FixAttempted', at: '2017-11-23', data: { matterId: 'm', method: 'visit', outcome: 'failed' } },
      ]),
    ).toEqual(['2: matter-already-opened', '4: matter-resolved']);
  });

  it('rejects settling a promise twice (keeping a cancelled promise), but allows keeping it late', () => {
    const made = { type: 'PromiseMade', at: '2017-11-20', data: { promiseId: 'p', what: 'call back', dueBy: '2017-11-21T00:00:00Z' } };
    expect(problems([made, { type: 'PromiseCancelled', at: '2017-11-21', data: { promiseId: 'p' } }, { type: 'PromiseKept', at: '2017-11-22', data: { promiseId: 'p' } }])).toEqual([
      '3: promise-settled',
    ]);
    expect(problems([made, { type: 'PromiseKept', at: '2017-12-25', data: { promiseId: 'p' } }])).toEqual([]);
  });

  it('rejects a promise made or revised with a due time before the event itself; due at that very instant is allowed', () => {
    const made = (at: string, dueBy: string, promiseId = 'p') => ({ type: 'PromiseMade', at, data: { promiseId, what: 'call back', dueBy } });
    const revised = (at: string, dueBy: string) => ({ type: 'PromiseRevised', at, data: { promiseId: 'p', dueBy } });
    expect(
      problems([
        made('2017-11-20T10:00:00Z', '2017-11-20T09:59:59Z', 'early'),
        made('2017-11-20T10:00:00Z', '2017-11-20T10:00:00Z'),
        revised('2017-11-20T12:00:00Z', '2017-11-20T11:00:00Z'),
        revised('2017-11-20T12:00:00Z', '2017-11-20T05:00:00-07:00'), // 12:00Z: the same instant
        revised('2017-11-21T12:00:00Z', '2017-11-22T12:00:00Z'), // after the due time passed: a new later one is fine
      ]),
    ).toEqual(['1: due-before-event', '3: due-before-event']);
    const { events } = parseJsonl(JSON.stringify({ customerId: 'c', ...made('2017-11-20T10:00:00Z', '2017-11-19T17:00:00-07:00') }), 'j.jsonl', { calendar: new Calendar() });
    expect(lifecycleErrors(events).map((e) => [e.path, e.detail])).toEqual([
      ['data.dueBy', 'due 2017-11-19T17:00:00-07:00, before the promise was made (2017-11-20T10:00:00.000Z): a promise cannot fall due before it is made'],
    ]);
  });

  it('allows contacts after the relationship ended (the agent who calls after the customer left)', () => {
    expect(
      problems([
        { type: 'RelationshipStarted', at: '2014-08-01' },
        { type: 'RelationshipEnded', at: '2018-02-09' },
        { type: 'ContactMade', at: '2018-02-10', data: { direction: 'outbound', channel: 'phone' } },
        { type: 'RelationshipEnded', at: '2018-02-11' },
      ]),
    ).toEqual(['4: relationship-already-ended']);
  });

  it('names where the earlier event is, for every rule that refers to one: its line in the same file', () => {
    const text = [
      { type: 'RelationshipStarted', at: '2017-01-01' }, // 1
      { type: 'RelationshipStarted', at: '2017-01-02' }, // 2
      opened('2017-11-20'), // 3
      opened('2017-11-20'), // 4
      { type: 'PromiseMade', at: '2017-11-20', data: { promiseId: 'p', what: 'call back', dueBy: '2017-11-21T00:00:00Z' } }, // 5
      { type: 'PromiseMade', at: '2017-11-20', data: { promiseId: 'p', what: 'call back', dueBy: '2017-11-21T00:00:00Z' } }, // 6
      { type: 'MatterReopened', at: '2017-11-20', data: { matterId: 'm' } }, // 7
      { type: 'SurveySent', at: '2017-11-20', data: { surveyId: 's' } }, // 8
      { type: 'SurveySent', at: '2017-11-20', data: { surveyId: 's' } }, // 9
      { type: 'FeedbackReceived', at: '2017-11-20', data: { feedbackId: 'f' } }, // 10
      { type: 'FeedbackReceived', at: '2017-11-20', data: { feedbackId: 'f' } }, // 11
      { type: 'PromiseCancelled', at: '2017-11-21', data: { promiseId: 'p' } }, // 12
      { type: 'PromiseKept', at: '2017-11-21', data: { promiseId: 'p' } }, // 13
      { type: 'PromiseMade', at: '2017-11-21', data: { promiseId: 'p', what: 'again', dueBy: '2017-11-22T00:00:00Z' } }, // 14
      { type: 'SurveyAnswered', at: '2017-11-21', data: { surveyId: 's' } }, // 15
      { type: 'SurveyAnswered', at: '2017-11-21', data: { surveyId: 's' } }, // 16
      { type: 'SurveySent', at: '2017-11-21', data: { surveyId: 's' } }, // 17
      { type: 'FeedbackAnswered', at: '2017-11-21', data: { feedbackId: 'f' } }, // 18
      { type: 'FeedbackAnswered', at: '2017-11-21', data: { feedbackId: 'f' } }, // 19
      { type: 'FeedbackReceived', at: '2017-11-21', data: { feedbackId: 'f' } }, // 20
      resolved('2017-11-22'), // 21
      resolved('2017-11-23'), // 22
      opened('2017-11-23'), // 23
      { type: 'RelationshipEnded', at: '2017-12-01' }, // 24
      { type: 'RelationshipEnded', at: '2017-12-02' }, // 25
    ]
      .map((l) => JSON.stringify({ customerId: 'c', ...l }))
      .join('\n');
    const { events } = parseJsonl(text, 'j.jsonl', { calendar: new Calendar() });
    expect(lifecycleErrors(events).map(String)).toEqual([
      'j.jsonl:2: the relationship has already started (line 1) and has not ended',
      'j.jsonl:4: data.matterId: matter "m" was already opened (line 3)',
      'j.jsonl:6: data.promiseId: promise "p" was already made (line 5; use PromiseRevised to change it)',
      'j.jsonl:7: data.matterId: cannot reopen matter "m": it is still open (line 3)',
      'j.jsonl:9: data.surveyId: survey "s" was already sent (line 8)',
      'j.jsonl:11: data.feedbackId: feedback "f" was already received (line 10)',
      'j.jsonl:13: data.promiseId: cannot keep promise "p": it was already cancelled (line 12)',
      'j.jsonl:14: data.promiseId: promise "p" was already made and cancelled (line 12)',
      'j.jsonl:16: data.surveyId: survey "s" was already answered (line 15)',
      'j.jsonl:17: data.surveyId: survey "s" was already sent and answered (line 15)',
      'j.jsonl:19: data.feedbackId: feedback "f" was already answered (line 18)',
      'j.jsonl:20: data.feedbackId: feedback "f" was already received and answered (line 18)',
      'j.jsonl:22: data.matterId: cannot resolve matter "m": it is resolved (line 21; record MatterReopened first)',
      'j.jsonl:23: data.matterId: matter "m" was already opened and is resolved (line 21): use MatterReopened',
      'j.jsonl:25: the relationship has already ended (line 24)',
    ]);
  });

  it('names the earlier event by file and line when it is in another file, by id or time when it has no source', async () => {
    const calendar = new Calendar();
    const first = parseJsonl(JSON.stringify({ customerId: 'c', ...opened('2017-11-20') }), 'a.jsonl', { calendar }).events;
    const second = parseJsonl(['', JSON.stringify({ customerId: 'c', ...opened('2017-11-21') })].join('\n'), 'b.jsonl', { calendar }).events;
    expect(lifecycleErrors([...first, ...second]).map(String)).toEqual(['b.jsonl:2: data.matterId: matter "m" was already opened (a.jsonl:1)']);

    const engine = new Engine();
    await engine.record([{ id: 'o1', customerId: 'c', ...opened('2017-11-20') }, { customerId: 'c', ...resolved('2017-11-21T10:00:00Z') }]);
    const details = async (events: Parameters<Engine['record']>[0]) => {
      const error = await engine.record(events).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      return (error as InvalidInputError).errors.map((e) => e.detail);
    };
    // Stored without id: named by the id the store gave it.
    expect(await details([{ customerId: 'c', ...opened('2017-11-22') }])).toEqual(['matter "m" was already opened and is resolved (event "c:2"): use MatterReopened']);
    // Earlier in the same (refused) batch, without id: it has none yet, so its at.
    expect(await details([{ customerId: 'c', type: 'MatterReopened', at: '2017-11-22', data: { matterId: 'm' } }, { customerId: 'c', type: 'MatterReopened', at: '2017-11-23', data: { matterId: 'm' } }])).toEqual([
      'cannot reopen matter "m": it is still open (at 2017-11-22)',
    ]);
    await engine.record([{ customerId: 'c', type: 'MatterReopened', at: '2017-11-22', data: { matterId: 'm' } }]);
    expect(await details([{ customerId: 'c', type: 'MatterReopened', at: '2017-11-23', data: { matterId: 'm' } }])).toEqual(['cannot reopen matter "m": it is still open (event "c:3")']);
    await engine.record([{ id: 'p1', customerId: 'c', type: 'PromiseMade', at: '2017-11-22', data: { promiseId: 'p', what: 'call', dueBy: '2017-11-23T00:00:00Z' } }]);
    expect(await details([{ customerId: 'c', type: 'PromiseMade', at: '2017-11-23', data: { promiseId: 'p', what: 'call', dueBy: '2017-11-24T00:00:00Z' } }])).toEqual([
      'promise "p" was already made (event "p1"; use PromiseRevised to change it)',
    ]);
  });

  it('says a file was given twice rather than name the offending line as its own earlier event', () => {
    const calendar = new Calendar();
    const text = [{ type: 'RelationshipStarted', at: '2017-11-20' }, opened('2017-11-20')].map((l) => JSON.stringify({ customerId: 'c', ...l })).join('\n');
    const once = parseJsonl(text, 'j.jsonl', { calendar }).events;
    const twice = parseJsonl(text, 'j.jsonl', { calendar }).events;
    expect(lifecycleErrors([...once, ...twice]).map(String)).toEqual([
      'j.jsonl:1: the relationship has already started (line 1 of j.jsonl read before: it was given twice) and has not ended',
      'j.jsonl:2: data.matterId: matter "m" was already opened (line 2 of j.jsonl read before: it was given twice)',
    ]);
  });

  it('names a stored event recorded without id by the id the store gave it, whether the new event is in order or backdated', async () => {
    const engine = new Engine();
    await engine.record([{ customerId: 'c', ...opened('2017-11-20') }, { customerId: 'c', ...resolved('2017-11-21T10:00:00Z') }]);
    const detail = async (event: Parameters<Engine['record']>[0]) => {
      const error = await engine.record(event).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      return (error as InvalidInputError).errors.map((e) => e.detail);
    };
    const reopenedTwice = 'matter "m" was already opened and is resolved (event "c:2"): use MatterReopened';
    // In order (after every stored event), then backdated (before the contact of 11-25): the same words.
    expect(await detail({ customerId: 'c', ...opened('2017-11-22') })).toEqual([reopenedTwice]);
    await engine.record({ customerId: 'c', type: 'ContactMade', at: '2017-11-25', data: { channel: 'email', direction: 'outbound' } });
    expect(await detail({ customerId: 'c', ...opened('2017-11-22') })).toEqual([reopenedTwice]);
  });

  it('checks in time order, not file order: an earlier line may come later in the file', () => {
    expect(problems([resolved('2017-11-22'), opened('2017-11-20')])).toEqual([]);
  });
});
