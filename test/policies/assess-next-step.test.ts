import { describe, expect, it } from 'vitest';
import { Engine, UsageError, assessNextStep, burden, type BurdenOptions } from '../../src/index.js';

const C = 'c';
const at = (day: string, time = '10:00') => `2024-03-${day}T${time}:00Z`;
const visit = (day: string, outcome: string, extra: Record<string, unknown> = {}) => ({
  customerId: C,
  type: 'FixAttempted',
  at: at(day),
  data: { matterId: 'pc', method: 'onsite-visit', outcome, ...extra },
});

async function engineWith(events: readonly Record<string, unknown>[], config = {}) {
  const engine = new Engine({ policies: [burden], config });
  await engine.record([{ customerId: C, type: 'MatterOpened', at: at('01', '09:00'), data: { matterId: 'pc', severity: 'critical' } }, ...events] as never);
  return engine;
}

describe('assessNextStep', () => {
  it('says a method that already failed twice on the matter is not reasonable, and suggests changing the remedy and asking', async () => {
    const engine = await engineWith([visit('02', 'partial'), visit('03', 'failed')]);
    const result = assessNextStep(engine, { customerId: C, matterId: 'pc', method: 'onsite-visit', expectedEffortMinutes: 30 });
    expect(result.reasonable).toBe(false);
    expect(result.methodFailures).toBe(2);
    expect(result.reasons).toEqual(['"onsite-visit" has already failed twice on this matter (partial, failed).']);
    expect(result.suggestions).toEqual([
      'Change the remedy instead of repeating "onsite-visit" (replace rather than repair, or send someone who can decide).',
      'Ask the customer whether this next step is acceptable before scheduling it.',
    ]);
    // A different remedy with little effort is reasonable.
    expect(assessNextStep(engine, { customerId: C, matterId: 'pc', method: 'replace-unit', expectedEffortMinutes: 30 })).toMatchObject({ reasonable: true, reasons: [] });
  });

  it('says a method that made things worse is not reasonable after a single try', async () => {
    const engine = await engineWith([visit('02', 'worsened')]);
    expect(assessNextStep(engine, { customerId: C, matterId: 'pc', method: 'onsite-visit' }).reasons).toEqual(['"onsite-visit" made things worse on this matter before.']);
  });

  it('says a step that would push the burden to a higher level is not reasonable', async () => {
    const engine = await engineWith([visit('02', 'partial')]); // 2 points
    // Ten days without a critical computer: 240 / 24 × 0.5 × 2 = 10 points: level 0 → 1.
    const result = assessNextStep(engine, { customerId: C, matterId: 'pc', method: 'ship-in', expectedDowntimeHours: 240 });
    expect(result).toMatchObject({ reasonable: false, score: 2, level: 0, projectedScore: 12, projectedLevel: 1 });
    expect(result.reasons).toEqual(["It would raise the customer's burden from level 0 to level 1 (score 2 to 12)."]);
    expect(result.suggestions[0]).toMatch(/asks less of the customer/);
  });

  it('says more effort is not reasonable once the customer spent maxEffortHours on the matter', async () => {
    const engine = await engineWith([visit('02', 'succeeded', { customerEffortMinutes: 300 }), visit('05', 'succeeded', { customerEffortMinutes: 200 })]);
    const ask = { customerId: C, matterId: 'pc', method: 'remote-session', expectedEffortMinutes: 15 } as const;
    expect(assessNextStep(engine, ask).reasons).toEqual(['The customer has already spent 8.3 hours on this matter, and this step asks for 0.3 more.']);
    expect(assessNextStep(engine, { ...ask, maxEffortHours: 10 }).reasonable).toBe(true);
    expect(assessNextStep(engine, { ...ask, expectedEffortMinutes: 0 }).reasonable).toBe(true);
  });

  it('reads the window and levels the engine runs burden with, as of the given instant', async () => {
    const engine = await engineWith([visit('02', 'failed'), visit('03', 'failed')], { policies: { burden: { levels: [5, 100], window: 'P30D' } } });
    expect(engine.policyOptions<BurdenOptions>('burden').levels).toEqual([5, 100]);
    expect(assessNextStep(engine, { customerId: C, matterId: 'pc', method: 'ship-in' })).toMatchObject({ score: 11, level: 1 });
    // Five weeks later the failures have left the 30-day window (the method history stays).
    expect(assessNextStep(engine, { customerId: C, matterId: 'pc', method: 'onsite-visit', at: '2024-04-10T00:00:00Z' })).toMatchObject({
      score: 0,
      level: 0,
      methodFailures: 2,
      reasonable: false,
    });
  });

  it('records nothing', async () => {
    const engine = await engineWith([visit('02', 'failed'), visit('03', 'failed')]);
    const before = JSON.stringify(engine.snapshot());
    const version = (await engine.store.readStream(C)).length;
    assessNextStep(engine, { customerId: C, matterId: 'pc', method: 'onsite-visit', expectedEffortMinutes: 600, expectedDowntimeHours: 240 });
    expect(JSON.stringify(engine.snapshot())).toBe(before);
    expect((await engine.store.readStream(C)).length).toBe(version);
  });

  it('treats an unknown customer as carrying no burden, and refuses an engine without burden or bad input', async () => {
    const engine = await engineWith([]);
    expect(assessNextStep(engine, { customerId: 'nobody', method: 'remote-session', expectedEffortMinutes: 10 })).toMatchObject({ reasonable: true, score: 0, level: 0 });
    expect(() => assessNextStep(new Engine({ policies: [] }), { customerId: C, method: 'x' })).toThrow(/no policy named "burden" is installed/);
    expect(() => assessNextStep(engine, { customerId: C, method: 'x', expectedEffortMinutes: -1 })).toThrow(UsageError);
    expect(() => assessNextStep(engine, { customerId: C, method: 'x', expectedEffortMinutes: -1 })).toThrow('assessNextStep: "expectedEffortMinutes" of customer "c" must be zero or more; got -1');
    expect(() => assessNextStep(engine, { customerId: C, method: 'x', expectedDowntimeHours: Number.NaN })).toThrow('"expectedDowntimeHours" of customer "c" must be zero or more; got NaN');
    expect(() => assessNextStep(engine, { customerId: C, method: 'x', maxMethodFailures: 0 })).toThrow('"maxMethodFailures" of customer "c" must be a whole number, 1 or more; got 0');
    expect(() => assessNextStep(engine, { customerId: C, method: 'x', maxEffortHours: -2 })).toThrow('"maxEffortHours" of customer "c" must be zero or more; got -2');
    expect(() => assessNextStep(engine, { customerId: C, method: 'x', at: 'tomorrow' })).toThrow(/"at" must be/);
  });

  it('refuses a proposal field it does not know (a misspelt maxMethodFailures left the default of 2), naming it and the known ones', async () => {
    const engine = await engineWith([]);
    expect(() => assessNextStep(engine, { customerId: C, method: 'ship-in', maxMethodFailure: 5 } as never)).toThrow(
      new UsageError(
        'assessNextStep: unknown proposal field "maxMethodFailure" (the proposal fields are "customerId", "matterId", "method", "expectedEffortMinutes", "expectedDowntimeHours", "at", "maxMethodFailures", "maxEffortHours"). Did you mean "maxMethodFailures"?',
        { path: 'maxMethodFailure', rule: 'unknown-field' },
      ),
    );
    expect(() => assessNextStep(engine, null as never)).toThrow(new UsageError('assessNextStep: the proposal must be an object, got null', { rule: 'invalid-type' }));
  });
});

describe('Engine#policyOptions', () => {
  it('returns the parsed options with defaults, and names a policy that is not installed', () => {
    const engine = new Engine({ policies: [burden] });
    const options = engine.policyOptions<BurdenOptions>('burden');
    expect(options.levels).toEqual([10, 25, 50]);
    expect(options.window.text).toBe('P180D');
    expect(options.weights.transfer).toBe(2);
    expect(() => engine.policyOptions('survey')).toThrow(/no policy named "survey" is installed/);
  });
});
