import { quoteId } from './quote-id.js';

/**
 * Every error heed throws derives from `HeedError` and carries a stable string `code`, so callers
 * branch on `error.code` (or `instanceof`) rather than on message text. Fields are structured:
 * nothing a caller needs is only inside the message.
 */
export class HeedError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where a problem was found: a file and line for JSONL input, a customer and event otherwise. */
export interface ProblemLocation {
  readonly file?: string;
  readonly line?: number;
  /**
   * 1-based column on `line`, where the source gives one (a configuration file's problems, at their
   * key): it orders one line's problems; the message names the line only.
   */
  readonly column?: number;
  readonly customerId?: string;
  readonly eventId?: string;
  readonly eventType?: string;
  /** Position of the event in the batch passed to `record`, when it came from code, not a file. */
  readonly index?: number;
}

export interface ValidationProblem extends ProblemLocation {
  /** Dotted path of the offending field, e.g. `data.dueBy`; empty for the whole line or event. */
  readonly path: string;
  /** Short machine-readable rule, e.g. `invalid-type`, `unknown-matter`, `promise-settled`: one of `VALIDATION_RULES`, or a plugin's own. */
  readonly rule: string;
  /** Plain-language explanation. */
  readonly message: string;
}

/**
 * One problem with one event, option or configuration value. `toString()` gives the
 * `file:line: path: message` form the CLI prints.
 */
export class ValidationError extends HeedError implements ValidationProblem {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly customerId?: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly index?: number;
  readonly path: string;
  readonly rule: string;
  readonly detail: string;

  constructor(problem: ValidationProblem) {
    super('HEED_VALIDATION', formatProblem(problem));
    if (problem.file !== undefined) this.file = problem.file;
    if (problem.line !== undefined) this.line = problem.line;
    if (problem.column !== undefined) this.column = problem.column;
    if (problem.customerId !== undefined) this.customerId = problem.customerId;
    if (problem.eventId !== undefined) this.eventId = problem.eventId;
    if (problem.eventType !== undefined) this.eventType = problem.eventType;
    if (problem.index !== undefined) this.index = problem.index;
    this.path = problem.path;
    this.rule = problem.rule;
    this.detail = problem.message;
  }

  /** The same error at another location (e.g. a file and line once the caller knows them). */
  at(location: ProblemLocation): ValidationError {
    // Not `new ValidationError(…)`: a class that names itself in its own body is renamed by the
    // bundler (`class _ValidationError`), and `name` (read from `new.target`) would then say so.
    const Self = this.constructor as new (problem: ValidationProblem) => ValidationError;
    return new Self({ ...this.problem(), ...location });
  }

  problem(): ValidationProblem {
    const { file, line, column, customerId, eventId, eventType, index, path, rule, detail } = this;
    return stripUndefined({ file, line, column, customerId, eventId, eventType, index, path, rule, message: detail }) as ValidationProblem;
  }

  override toString(): string {
    return this.message;
  }
}

/**
 * A batch of events (or a file, or a configuration) with one or more problems. Thrown instead of
 * appending anything: heed never half-writes a batch.
 */
export class InvalidInputError extends HeedError {
  readonly errors: readonly ValidationError[];

  constructor(errors: readonly ValidationError[], what = 'input') {
    const shown = errors.slice(0, 5).map((e) => `  ${e.message}`);
    const more = errors.length > 5 ? [`  … and ${errors.length - 5} more`] : [];
    super(
      'HEED_INVALID_INPUT',
      [`${errors.length} problem${errors.length === 1 ? '' : 's'} in ${what}; nothing was recorded:`, ...shown, ...more].join('\n'),
    );
    this.errors = errors;
  }
}

/** The configuration (file or object) is invalid. Each entry names the option path and the rule. */
export class ConfigError extends HeedError {
  readonly errors: readonly ValidationError[];

  constructor(errors: readonly ValidationError[], file?: string) {
    const where = file ?? 'configuration';
    super('HEED_CONFIG', [`invalid ${where}:`, ...errors.map((e) => `  ${e.message}`)].join('\n'));
    this.errors = errors;
  }
}

/** Optimistic concurrency: the stream is not at the version the writer expected. */
export class VersionConflictError extends HeedError {
  readonly customerId: string;
  readonly expected: string | number;
  readonly actual: number;

  constructor(customerId: string, expected: string | number, actual: number) {
    super(
      'HEED_VERSION_CONFLICT',
      `stream ${quoteId(customerId)} is at version ${actual}, but the append expected ${typeof expected === 'number' ? `version ${expected}` : expected}`,
    );
    this.customerId = customerId;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * An event id already exists in the stream with a different payload (a retry must be identical).
 * `assigned`: the id is the one the store assigned to an earlier event of the same batch, an event
 * given without an id (an append one at a time would have stored that event first, then refused
 * this one the same way).
 */
export class EventIdConflictError extends HeedError {
  readonly customerId: string;
  readonly eventId: string;

  constructor(customerId: string, eventId: string, assigned = false) {
    super(
      'HEED_EVENT_ID_CONFLICT',
      assigned
        ? `event id ${quoteId(eventId)} was assigned to an earlier event of the batch in stream ${quoteId(customerId)} (one given without an id), which has a different payload; an id may only be re-sent with an identical payload`
        : `event id ${quoteId(eventId)} already exists in stream ${quoteId(customerId)} with a different payload; an id may only be re-sent with an identical payload`,
    );
    this.customerId = customerId;
    this.eventId = eventId;
  }
}

/** What a policy was doing when it failed, when no event was being folded. */
const DURING = {
  'wake-up': 'a wake-up',
  refresh: 'a refresh (restating ongoing findings as of the clock)',
  summary: 'the summary',
  initialState: 'its initial state (initialState)',
} as const;

/**
 * A policy's own code threw (folding an event, on a wake-up, a refresh, its initial state or its
 * summary), or it reported a bad finding or a summary that is not JSON data: a bug in the policy.
 */
export class PolicyError extends HeedError {
  readonly policy: string;
  readonly customerId: string;
  readonly eventId: string | undefined;

  /** `during`: what the policy was doing when no event was being folded (default a wake-up). */
  constructor(policy: string, customerId: string, eventId: string | undefined, cause: unknown, during: 'wake-up' | 'refresh' | 'summary' | 'initialState' = 'wake-up') {
    const what = eventId !== undefined ? `event ${quoteId(eventId)}` : DURING[during];
    const reason = cause instanceof Error ? cause.message : String(cause);
    // A write to something frozen (an event, a state from an earlier run) or to a revoked draft:
    // V8's message names the property, not why it is read-only.
    const hint =
      cause instanceof TypeError && /read only property|not extensible|Cannot delete property|proxy that has been revoked/.test(reason)
        ? ' (events, and states outside the draft a policy is given, are frozen: change only that draft, during the call)'
        : '';
    super('HEED_POLICY', `policy "${policy}" failed on ${what} of customer ${quoteId(customerId)}: ${reason}${hint}`, { cause });
    this.policy = policy;
    this.customerId = customerId;
    this.eventId = eventId;
  }
}

/**
 * What a UsageError is about, as fields a program branches on, where the error names an argument
 * or option of the caller's: every one is optional, and an error sets those it knows.
 */
export interface UsageDetails {
  /**
   * The argument or option at fault: `customerId` (the stream given to `append`), an option such as
   * `expectedVersion` or `limit`, an argument such as `instant` or `policyName`, a name no option
   * has (the first, when several are unknown), a field of a definition or proposal (`kinds[i]`,
   * `at`), a field of an event in a list (`events[i].customerId`: an event of another customer in
   * the batch given to `append`; `events[i].time`: an event with no time given to `renderReport`),
   * or `policies[i]`, `plugins[i].policies[j]` or `upcasters[i].fromVersion` (an entry of a list
   * option); for `policySpec`, the method called (`given`, `at`). Where one message names several
   * problems (the ProjectionWorker's options, a definition given to `definePolicy`), the first.
   */
  readonly path?: string;
  /**
   * Short machine-readable rule, in `ValidationError#rule`'s names (`VALIDATION_RULES`: `too-big`,
   * `invalid-type`, `invalid-union`, `invalid-value`, `invalid-instant`, `unknown-field` for an
   * unknown option name, `unknown-policy` for a policy not installed, `duplicate` for an entry
   * given twice, `missing-package` for an optional peer package not installed, with no `path`).
   */
  readonly rule?: string;
  /** The stream the call was about, in full (the message shortens a long one). */
  readonly customerId?: string;
}

/**
 * The engine or a policy was set up or used incorrectly (a programming error, not bad data).
 * Where it names a value of the caller's it carries `path`, `rule` and `customerId` (`UsageDetails`).
 */
export class UsageError extends HeedError implements UsageDetails {
  readonly path?: string;
  readonly rule?: string;
  readonly customerId?: string;

  constructor(message: string, options?: { cause?: unknown } & UsageDetails) {
    super('HEED_USAGE', message, options !== undefined && 'cause' in options ? { cause: options.cause } : undefined);
    if (options?.path !== undefined) this.path = options.path;
    if (options?.rule !== undefined) this.rule = options.rule;
    if (options?.customerId !== undefined) this.customerId = options.customerId;
  }
}

export function formatProblem(p: ValidationProblem): string {
  const where: string[] = [];
  if (p.file !== undefined) where.push(p.line !== undefined ? `${p.file}:${p.line}` : p.file);
  else if (p.line !== undefined) where.push(`line ${p.line}`);
  else if (p.index !== undefined) where.push(`event #${p.index + 1}`);
  const about: string[] = [];
  if (p.file === undefined) {
    if (p.eventType !== undefined) about.push(p.eventType);
    if (p.eventId !== undefined) about.push(quoteId(p.eventId));
    if (p.customerId !== undefined) about.push(`of customer ${quoteId(p.customerId)}`);
  }
  const head = [...where, ...(about.length > 0 ? [`(${about.join(' ')})`] : [])].join(' ');
  const field = p.path === '' ? '' : `${p.path}: `;
  return `${head === '' ? '' : `${head}: `}${field}${p.message}`;
}

function stripUndefined(value: object): object {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out;
}
