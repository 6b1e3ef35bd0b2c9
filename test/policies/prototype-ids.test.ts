import { describe, expect, it } from 'vitest';
import { assessNextStep, replay, type EventInput, type Snapshot } from '../../src/index.js';

/**
 * Ids are the CRM's own strings: "constructor" or "__proto__" is as valid a matter, promise,
 * survey, feedback, party or customer id as "claim-17". The policies key their state by these ids,
 * so an id that names an Object.prototype member must behave exactly like any other id.
 */

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'] as const;
const FIELDS = ['customer', 'matter', 'promise', 'survey', 'feedback', 'party'] as const;
type Names = Record<(typeof FIELDS)[number], string>;

/** Customer k uses the prototype names shifted by k, so every name fills every field once. */
const protoNames = (k: number): Names =>
  Object.fromEntries(FIELDS.map((field, i) => [field, PROTO_NAMES[(i + k) % PROTO_NAMES.length] as string])) as Names;
const ordinaryNames = (k: number): Names => Object.fromEntries(FIELDS.map((field) => [field, `${field}-${k}`])) as Names;

/** A journey that raises every core finding kind, with its ids taken from `n`. */
function journey(n: Names): EventInput[] {
  const e = (at: string, type: string, data?: Record<string, unknown>) => ({ customerId: n.customer, type, at, ...(data === undefined ? {} : { data }) });
  return [
    e('2017-11-01T09:00:00Z', 'RelationshipStarted', { plan: 'home' }),
    e('2017-11-01T10:00:00Z', 'MatterOpened', { matterId: n.matter, title: 'Broken heater', severity: 'high' }),
    e('2017-11-01T10:30:00Z', 'MatterOpened', { matterId: 'm2', title: 'Billing question' }),
    e('2017-11-01T11:00:00Z', 'PromiseMade', { promiseId: n.promise, what: 'technician visit', dueBy: '2017-11-03T12:00:00Z', matterId: n.matter, party: n.party }),
    e('2017-11-01T11:30:00Z', 'PromiseMade', { promiseId: 'p2', what: 'call back', dueBy: '2017-11-02T17:00:00Z', matterId: 'm2', party: n.party }),
    e('2017-11-02T10:00:00Z', 'ContactMade', { matterId: n.matter, direction: 'outbound', channel: 'phone', party: n.party }),
    e('2017-11-02T16:00:00Z', 'PromiseKept', { promiseId: 'p2' }),
    e('2017-11-03T14:00:00Z', 'FixAttempted', { matterId: n.matter, method: 'onsite-visit', outcome: 'failed', customerEffortMinutes: 120, party: n.party }),
    e('2017-11-03T15:00:00Z', 'PromiseKept', { promiseId: n.promise }),
    e('2017-11-06T09:30:00Z', 'ContactMade', { matterId: n.matter, direction: 'inbound', channel: 'phone', purpose: 'chase', waitMinutes: 40 }),
    e('2017-11-06T09:45:00Z', 'ContactMade', { matterId: n.matter, direction: 'inbound', channel: 'email' }),
    e('2017-11-07T10:00:00Z', 'FixAttempted', { matterId: n.matter, method: 'onsite-visit', outcome: 'failed', downtimeHours: 48 }),
    e('2017-11-07T11:00:00Z', 'CustomerTaskRequested', { task: 'send photos', matterId: n.matter, effortMinutes: 30, repeat: true }),
    e('2017-11-07T12:00:00Z', 'SurveySent', { surveyId: n.survey, matterId: n.matter, expiresAt: '2017-11-08T12:00:00Z' }),
    e('2017-11-07T13:00:00Z', 'FeedbackReceived', { feedbackId: n.feedback, matterId: n.matter, channel: 'email' }),
    e('2017-11-08T10:00:00Z', 'MatterResolved', { matterId: 'm2' }),
    e('2017-11-08T11:00:00Z', 'MatterStatusChanged', { matterId: n.matter, status: 'waiting-on-customer' }),
    e('2017-11-09T11:00:00Z', 'MatterStatusChanged', { matterId: n.matter, status: 'in-progress' }),
    e('2017-11-14T10:00:00Z', 'MatterResolved', { matterId: n.matter }),
    e('2017-11-15T09:00:00Z', 'FeedbackAnswered', { feedbackId: n.feedback }),
    e('2017-11-20T09:00:00Z', 'MatterReopened', { matterId: n.matter, reason: 'heater out again' }),
    e('2017-11-21T09:00:00Z', 'MatterResolved', { matterId: n.matter }),
    e('2017-12-28T09:00:00Z', 'RelationshipEnded', { reason: 'moved to a competitor' }),
  ];
}

/** Every string and key with the names of `from` replaced by those of `to`. */
function renamed(value: unknown, from: Names, to: Names): unknown {
  if (typeof value === 'string') return FIELDS.reduce((s, field) => s.split(from[field]).join(to[field]), value);
  if (Array.isArray(value)) return value.map((item) => renamed(item, from, to));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [renamed(key, from, to), renamed(item, from, to)]));
  }
  return value;
}

/** One customer's findings (as text, sorted) and summary, from the snapshot's own keys. */
function customerView(snapshot: Snapshot, customerId: string): { findings: string[]; summary: unknown } {
  const findings = snapshot.findings.filter((f) => f.customerId === customerId).map((f) => JSON.stringify(f));
  const summary = Object.entries(snapshot.summaries).find(([id]) => id === customerId)?.[1];
  return { findings: findings.sort(), summary };
}

const customers = PROTO_NAMES.map((_, k) => k);

describe('ids that name Object.prototype members', () => {
  it('give the same findings and summaries as ordinary ids, in every field and policy', async () => {
    const ordinary = await replay(customers.flatMap((k) => journey(ordinaryNames(k))));
    const proto = await replay(customers.flatMap((k) => journey(protoNames(k))));
    const kinds = new Set(ordinary.snapshot.findings.map((f) => f.kind));
    // The journey exercises every built-in policy, so each one's state is keyed by the names.
    expect([...kinds].sort()).toEqual(
      [
        'burden.escalated',
        'burden.repeated-remedy',
        'feedback.unanswered',
        'inattention.gap',
        'promise.at-risk',
        'promise.broken',
        'promise.kept-late',
        'survey.due',
        'survey.mistimed',
        'survey.too-late',
      ].sort(),
    );
    // Mapping back is only sound if the ordinary output never mentions a prototype name itself.
    const text = JSON.stringify(ordinary.snapshot);
    for (const name of PROTO_NAMES) expect(text).not.toContain(name);

    expect(proto.snapshot.customers).toBe(ordinary.snapshot.customers);
    expect(proto.snapshot.findings).toHaveLength(ordinary.snapshot.findings.length);
    expect(Object.keys(proto.snapshot.summaries).sort()).toEqual([...PROTO_NAMES].sort());
    for (const k of customers) {
      const expected = customerView(ordinary.snapshot, ordinaryNames(k).customer);
      const actual = customerView(proto.snapshot, protoNames(k).customer);
      expect(expected.findings.length).toBeGreaterThan(0);
      const back = renamed(actual, protoNames(k), ordinaryNames(k)) as typeof actual;
      expect({ ...back, findings: back.findings.sort() }, `customer ${protoNames(k).customer}`).toEqual(expected);
    }
  });

  it('are read back from the engine as any customer id is', async () => {
    const { engine } = await replay(journey(protoNames(0)));
    expect(Object.keys(engine.summary('__proto__')).sort()).toEqual(['burden', 'feedback', 'inattention', 'promises', 'survey']);
    expect(engine.findings({ customerId: '__proto__' }).length).toBeGreaterThan(0);
    expect(engine.summary('toString')).toEqual({});
  });

  it('are unknown matters to assessNextStep until the customer has them', async () => {
    const { engine } = await replay(journey(ordinaryNames(0)));
    for (const matterId of PROTO_NAMES) {
      const assessment = assessNextStep(engine, { customerId: 'customer-0', matterId, method: 'onsite-visit' });
      expect(assessment.methodFailures, matterId).toBe(0);
      expect(assessment.effortHours, matterId).toBe(0);
    }
    expect(assessNextStep(engine, { customerId: 'customer-0', matterId: 'matter-0', method: 'onsite-visit' }).methodFailures).toBe(2);
  });
});
