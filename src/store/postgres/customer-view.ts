import { isResolvedConfig, resolveConfig, type HeedConfig, type ResolvedConfig } from '../../config/config.js';
import { Engine } from '../../engine/engine.js';
import type { Finding } from '../../engine/finding.js';
import { HeedError, InvalidInputError, PolicyError, UsageError, ValidationError } from '../../errors.js';
import type { ValidEvent } from '../../events/event.js';
import type { AnyPolicy } from '../../policies/define-policy.js';
import type { EventStore, StoredEvent } from '../event-store.js';
import { quoteId } from '../../quote-id.js';

/** What the read models hold for one customer, as of an instant. */
export interface CustomerView {
  readonly customerId: string;
  readonly findings: readonly { readonly key: string; readonly finding: Finding }[];
  /** Per-policy summaries, keyed by policy name (`Engine#summary`). */
  readonly summary: Record<string, unknown>;
  readonly events: number;
  readonly lastEventTime: number | undefined;
  /** The evaluation's clock: the later of `now` and the customer's latest event. */
  readonly asOf: number;
  readonly nextWakeAt: number | undefined;
}

/** Policies and resolved configuration, prepared once per worker. */
export interface EvaluationSetup {
  readonly policies: readonly AnyPolicy[];
  readonly config: ResolvedConfig;
}

export function evaluationSetup(policies: readonly AnyPolicy[], config: HeedConfig | ResolvedConfig | undefined): EvaluationSetup {
  // An Engine validates the policy list and resolves the configuration exactly as it would for a CRM.
  const probe = new Engine({ policies, ...(config !== undefined ? { config } : {}) });
  const resolved = isResolvedConfig(config) ? config : resolveConfig(config ?? {}, probe.policies);
  return { policies: probe.policies, config: resolved };
}

/**
 * Evaluate one customer from its stored stream as of `now`: a fresh engine per customer, fed the
 * whole stream sorted by time. The result is a function of the stream and `now` only, so writing
 * it again (a retried batch, a worker that took over) replaces rows with identical ones: events
 * are never "applied twice".
 */
export async function evaluateCustomer(store: EventStore, setup: EvaluationSetup, customerId: string, now: number): Promise<CustomerView> {
  return (await evaluateFromStore(store, setup, customerId, now)).view;
}

/**
 * What continuing a customer's evaluation needs (`continueEvaluation`): the engine that folded its
 * stream, and how far. Whoever holds it owns the engine: continuing moves the engine on, so an
 * evaluation is continued at most once and not used after that.
 */
export interface Evaluation {
  readonly customerId: string;
  readonly engine: Engine;
  /** Stream version of the last event folded (0: none). */
  readonly version: number;
  /** Id of the event at `version`: a continuation checks it is the stream it folded. */
  readonly lastId: string | undefined;
  /** The `now` it was evaluated at; the engine's clock is at or after it and never moves back. */
  readonly now: number;
  /** Events folded, and the latest event time (the view's `events` and `lastEventTime`). */
  readonly events: number;
  readonly lastEventTime: number | undefined;
}

/** A view, and the evaluation that produced it. */
export interface Evaluated {
  readonly view: CustomerView;
  readonly evaluation: Evaluation;
}

/** `evaluateCustomer`, keeping the engine and the stream position so the evaluation can be continued. */
export async function evaluateFromStore(store: EventStore, setup: EvaluationSetup, customerId: string, now: number): Promise<Evaluated> {
  let stored: StoredEvent[];
  try {
    stored = await store.readStream(customerId);
  } catch (error) {
    // A UsageError from a read is the stream's own (an upcaster threw, a step is missing or made
    // an invalid payload): reading it again fails again, like a policy that throws on it. Any other
    // failure (the connection, the server) is not the customer's, and is left to fail the batch.
    if (!(error instanceof UsageError)) throw error;
    throw new ProjectionError(customerId, `customer ${quoteId(customerId)} cannot be read: ${error.message}`, error);
  }
  const engine = new Engine({ policies: setup.policies, config: setup.config });
  return fold({ customerId, engine, version: 0, lastId: undefined, now, events: 0, lastEventTime: undefined }, stored, now);
}

/**
 * Continue an evaluation with the events appended to the stream since (versions `version + 1`
 * onwards, in stream order), as of `now`. The caller checks what makes this equal to
 * `evaluateCustomer` at `now` (EvaluationCache): `now` not earlier than the evaluation's, and
 * `appended` exactly the stream's events after `version`. Then the view is the same: the engine
 * folds late and backdated events to the findings a whole stream gives (Engine), events it is fed
 * at one instant keep their order (stable sort; the engine's own store numbers them after those it
 * holds), and the clock only moves forward.
 */
export async function continueEvaluation(previous: Evaluation, appended: readonly StoredEvent[], now: number): Promise<Evaluated> {
  return fold(previous, appended, now);
}

/** Feed `stored` (stream order) to the engine, sorted by time with ties in stream order, then move it to `now`. */
async function fold(before: Evaluation, stored: readonly StoredEvent[], now: number): Promise<Evaluated> {
  const { customerId, engine } = before;
  const events: ValidEvent[] = stored
    .map((e) => ({ id: e.id, customerId: e.customerId, type: e.type, at: e.at, time: e.time, data: e.data, ...(e.meta !== undefined ? { meta: e.meta } : {}) }))
    .sort((a, b) => a.time - b.time); // stable: ties keep stream order
  try {
    if (events.length > 0) await engine.recordValidated(events);
    await engine.advanceTo(now);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const version = stored.at(-1)?.streamVersion ?? before.version;
    throw new ProjectionError(customerId, `customer ${quoteId(customerId)} cannot be evaluated from its stored events: ${reason}`, error, version);
  }
  const latest = events.at(-1)?.time;
  const last = stored.at(-1);
  const evaluation: Evaluation = {
    customerId,
    engine,
    version: last?.streamVersion ?? before.version,
    lastId: last === undefined ? before.lastId : last.id,
    now,
    events: before.events + stored.length,
    lastEventTime: latest === undefined || (before.lastEventTime !== undefined && before.lastEventTime > latest) ? before.lastEventTime : latest,
  };
  const view: CustomerView = {
    customerId,
    findings: engine.findingEntries({ customerId }),
    summary: engine.summary(customerId),
    events: evaluation.events,
    lastEventTime: evaluation.lastEventTime,
    asOf: engine.now ?? now,
    nextWakeAt: engine.nextWakeAt(customerId),
  };
  return { view, evaluation };
}

/**
 * The projection could not evaluate a customer from its stored stream: the stream breaks the
 * lifecycle rules (events imported unchecked), or a policy threw. It depends on the customer's
 * events and the policies only, so evaluating again fails again until one of them changes; the
 * projection worker isolates the customer (projection_failures) rather than failing its batch.
 */
export class ProjectionError extends HeedError {
  readonly customerId: string;
  /** The offending event, when the cause names one. */
  readonly eventId: string | undefined;
  /** The policy that threw, when a policy did. */
  readonly policy: string | undefined;
  /** Stream version the evaluation had read up to when it failed (0: unknown or empty). */
  readonly streamVersion: number;

  constructor(customerId: string, message: string, cause?: unknown, streamVersion = 0) {
    super('HEED_PROJECTION', message, { cause });
    this.customerId = customerId;
    this.policy = cause instanceof PolicyError ? cause.policy : undefined;
    this.eventId = causeEventId(cause);
    this.streamVersion = streamVersion;
  }
}

function causeEventId(cause: unknown): string | undefined {
  if (cause instanceof PolicyError || cause instanceof ValidationError) return cause.eventId;
  if (cause instanceof InvalidInputError) return cause.errors.find((e) => e.eventId !== undefined)?.eventId;
  return undefined;
}

