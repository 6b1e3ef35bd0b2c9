import { resolveConfig, type HeedConfig, type ResolvedConfig } from '../../config/config.js';
import { Engine } from '../../engine/engine.js';
import type { Finding } from '../../engine/finding.js';
import { HeedError } from '../../errors.js';
import type { ValidEvent } from '../../events/event.js';
import type { AnyPolicy } from '../../policies/define-policy.js';
import type { EventStore } from '../event-store.js';

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
  const resolved = isResolved(config) ? config : resolveConfig(config ?? {}, probe.policies);
  return { policies: probe.policies, config: resolved };
}

/**
 * Evaluate one customer from its stored stream as of `now`: a fresh engine per customer, fed the
 * whole stream sorted by time. The result is a function of the stream and `now` only, so writing
 * it again (a retried batch, a worker that took over) replaces rows with identical ones: events
 * are never "applied twice".
 */
export async function evaluateCustomer(store: EventStore, setup: EvaluationSetup, customerId: string, now: number): Promise<CustomerView> {
  const stored = await store.readStream(customerId);
  const engine = new Engine({ policies: setup.policies, config: setup.config });
  const events: ValidEvent[] = stored
    .map((e) => ({ id: e.id, customerId: e.customerId, type: e.type, at: e.at, time: e.time, data: e.data, ...(e.meta !== undefined ? { meta: e.meta } : {}) }))
    .sort((a, b) => a.time - b.time); // stable: ties keep stream order
  try {
    if (events.length > 0) await engine.recordValidated(events);
    await engine.advanceTo(now);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProjectionError(customerId, `customer "${customerId}" cannot be evaluated from its stored events: ${reason}`, error);
  }
  const last = events.at(-1)?.time;
  return {
    customerId,
    findings: engine.findingEntries({ customerId }),
    summary: engine.summary(customerId),
    events: stored.length,
    lastEventTime: last,
    asOf: engine.now ?? now,
    nextWakeAt: engine.nextWakeAt(customerId),
  };
}

/** The projection could not process a customer (its stored stream breaks the rules, a policy threw...). */
export class ProjectionError extends HeedError {
  readonly customerId: string;

  constructor(customerId: string, message: string, cause?: unknown) {
    super('HEED_PROJECTION', message, { cause });
    this.customerId = customerId;
  }
}

function isResolved(config: HeedConfig | ResolvedConfig | undefined): config is ResolvedConfig {
  return config !== undefined && 'options' in config && config.options instanceof Map;
}
