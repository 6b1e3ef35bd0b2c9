import { expect } from 'vitest';
import { Engine, PolicyError, definePolicy, type EventInput, type FindingInput } from '../../src/index.js';
import { refusal } from '../refusal.js';

/** The fields of an ongoing finding every test of refresh's checks reports; each test overrides what it checks. */
const base = { kind: 'restating.open', subject: 'm', severity: 'info', message: 'open', evidence: [], details: {}, ongoing: true } as const;

/**
 * What `findings()` throws when policy "restating" reports an ongoing finding on each event
 * (`evolved`'s fields over `base`) that its refresh restates with `restated`'s fields over it, after
 * `events` are recorded and the clock advanced to `clock`. Checked here as every such refusal is: a
 * PolicyError of the policy and customer, with no event (a refresh is not an event's); the caller
 * checks the message's words.
 */
export async function refreshRefusal(
  events: EventInput | EventInput[],
  clock: string,
  evolved: (event: { readonly id: string; readonly time: number }) => Partial<FindingInput>,
  restated: Partial<FindingInput>,
): Promise<Error> {
  const restating = definePolicy({
    name: 'restating',
    kinds: ['restating.open'],
    initialState: () => ({ since: 0 }),
    evolve(state, event, ctx) {
      state.since = event.time;
      ctx.report({ ...base, detectedAt: event.time, ...evolved(event) });
    },
    refresh(state, ctx) {
      ctx.report({ ...base, detectedAt: state.since, ...restated });
    },
  });
  const engine = new Engine({ policies: [restating] });
  await engine.record(events);
  await engine.advanceTo(clock);
  const error = await refusal(() => engine.findings());
  expect(error).toBeInstanceOf(PolicyError);
  expect(error).toMatchObject({ policy: 'restating', customerId: (Array.isArray(events) ? events[0] : events)?.customerId, eventId: undefined });
  return error as Error;
}
