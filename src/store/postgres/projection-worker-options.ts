import * as z from 'zod';
import type { HeedConfig, ResolvedConfig } from '../../config/config.js';
import type { LoadedPlugin } from '../../config/load-plugins.js';
import { UsageError } from '../../errors.js';
import { unknownOptionsMessage } from '../../option-names.js';
import type { AnyPolicy } from '../../policies/define-policy.js';
import { describeValue } from '../../describe-value.js';
import { issueRule } from '../../events/issues.js';
import { integerRule } from '../../integer-rule.js';
import type { ProjectionWorkerOptions } from './projection-worker-types.js';

/**
 * The ProjectionWorker's options checked once, when it is built (projection-worker-types.ts
 * documents each): a strict object, so a misspelt option (`batchsize`, `pollIntervall`) is refused
 * by name instead of silently doing nothing, and every value is checked before anything runs.
 */
export interface WorkerSettings {
  readonly policies?: readonly AnyPolicy[] | undefined;
  readonly config?: HeedConfig | ResolvedConfig | undefined;
  readonly partitions: number;
  readonly batchSize: number;
  readonly maxPartitions?: number | undefined;
  readonly clock: () => number;
  readonly pollInterval: number;
  readonly rebalanceInterval: number;
  readonly maxConsecutiveFailures: number;
  readonly cacheSize: number;
  readonly cacheEvents: number;
  readonly retryFailedAfterMs: number;
  readonly beforeCommit: ProjectionWorkerOptions['beforeCommit'];
  readonly plugins?: readonly LoadedPlugin[] | undefined;
}

/** The most `partitions` a projection may have; why, in `ProjectionWorkerOptions.partitions`. */
export const MAX_PARTITIONS = 1024;

/** The longest a timer waits: Node's setTimeout runs a longer delay after 1 ms (a worker polling without rest). */
const MAX_TIMER = 2 ** 31 - 1;

/** An integer of at least `min` (1: "positive", 0: "non-negative"), and `Infinity` when `infinite`. */
const count = (min: 0 | 1, infinite = false) =>
  z.custom<number>((v) => (Number.isInteger(v) && (v as number) >= min) || (infinite && v === Number.POSITIVE_INFINITY), {
    error: `must be a ${min === 1 ? 'positive' : 'non-negative'} integer`,
  });

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { error: 'must be a function', params: { rule: 'invalid-type' } });

// Every option of ProjectionWorkerOptions, in its order (the `satisfies` keeps the two the same).
const shape = {
  policies: z.custom<readonly AnyPolicy[]>().optional(), // checked as the Engine checks them (evaluationSetup)
  config: z.custom<HeedConfig | ResolvedConfig>().optional(), // likewise
  partitions: count(1)
    .refine((v) => v <= MAX_PARTITIONS, {
      error: `must be at most ${MAX_PARTITIONS} (each partition is a lock on the server, a checkpoint row and queries in every pass; see README)`,
      params: { rule: 'too-big' },
    })
    .default(16),
  batchSize: count(1).default(500),
  maxPartitions: count(1).optional(),
  clock: fn.optional(),
  pollInterval: count(0)
    .refine((v) => v <= MAX_TIMER, { error: `must be at most ${MAX_TIMER} (about 24.8 days: a longer timer fires at once)`, params: { rule: 'too-big' } })
    .default(1000),
  rebalanceInterval: count(1)
    .refine((v) => v <= MAX_TIMER, { error: `must be at most ${MAX_TIMER} (about 24.8 days: a longer timer fires at once)`, params: { rule: 'too-big' } })
    .default(1000),
  maxConsecutiveFailures: count(1, true).default(Number.POSITIVE_INFINITY),
  cacheSize: count(0).default(1000),
  cacheEvents: count(0).default(100_000),
  retryFailedAfterMs: count(1, true).default(5 * 60_000),
  beforeCommit: fn.optional(),
  plugins: z.custom<readonly LoadedPlugin[]>().optional(), // checked against the policies run (checkPluginsOption), as the Engine checks it
} satisfies Record<keyof ProjectionWorkerOptions, z.ZodType>;

const schema = z.strictObject(shape);

/**
 * The worker's settings from its options, or a UsageError naming every option that is wrong in its
 * message, and the first one as `path` and `rule` (`unknown-field` with the first unknown name).
 */
export function workerSettings(options: ProjectionWorkerOptions): WorkerSettings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new UsageError(`ProjectionWorker: options must be an object, got ${describeValue(options)}`, { rule: 'invalid-type' });
  }
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    throw new UsageError(issues.map((issue) => problem(issue, options)).join('; '), fields(issues[0] as z.core.$ZodIssue, options));
  }
  const o = parsed.data;
  return {
    ...o,
    clock: (o.clock as (() => number) | undefined) ?? Date.now,
    beforeCommit: o.beforeCommit as ProjectionWorkerOptions['beforeCommit'],
  };
}

/**
 * The option and rule of one issue. `count`'s check is one custom test, so its rule comes from the
 * value, as a schema (`z.int().min(1)`) would name it: no whole number is `invalid-type`, one under
 * the minimum `too-small`; a bound above says `too-big` in its params.
 */
function fields(issue: z.core.$ZodIssue, options: object): { path: string; rule: string } {
  if (issue.code === 'unrecognized_keys') return { path: issue.keys[0] as string, rule: 'unknown-field' };
  const path = String(issue.path[0]);
  const value = (options as Record<string, unknown>)[path];
  if (issue.code !== 'custom') return { path, rule: issueRule(issue) };
  const rule = (issue.params as { rule?: unknown } | undefined)?.rule;
  if (typeof rule === 'string') return { path, rule };
  return { path, rule: integerRule(value) };
}

function problem(issue: z.core.$ZodIssue, options: object): string {
  if (issue.code === 'unrecognized_keys') return unknownOptionsMessage('ProjectionWorker', issue.keys, Object.keys(shape), 'option', options);
  const option = String(issue.path[0]);
  return `ProjectionWorker: option "${option}" ${issue.message}, got ${describeValue((options as Record<string, unknown>)[option])}`;
}
