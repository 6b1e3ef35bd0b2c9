import { Engine } from '../../src/index.js';
import { benchPolicy } from '../bench-policy.js';
import { plainFoldAll, plainSummary } from '../plain-fold.js';
import { loadRaw, settle, validateAll, type TaskResult } from './load.js';

/**
 * Figure 2: events already in memory (parsed JSON objects). The plain fold groups, sorts and
 * folds them; the engine records them (validation, lifecycle, store append, fold through the
 * bench policy, wake-ups) and lists its findings.
 */

export function plainMemory(args: { file: string }): TaskResult {
  const raw = loadRaw(args.file);
  settle();
  const started = performance.now();
  const states = plainFoldAll(raw);
  let broken = 0;
  for (const state of states.values()) broken += plainSummary(state).brokenPromises;
  return { events: raw.length, ms: performance.now() - started, customers: states.size, broken };
}

export async function engineMemory(args: { file: string }): Promise<TaskResult> {
  const raw = loadRaw(args.file);
  settle();
  const started = performance.now();
  const engine = new Engine({ policies: [benchPolicy] });
  await engine.record(raw);
  const findings = engine.findings();
  return { events: raw.length, ms: performance.now() - started, customers: engine.customers().length, findings: findings.length };
}

/** The same, for events validated beforehand (as `readLines` yields them): the fold without the schema step. */
export async function engineValidated(args: { file: string }): Promise<TaskResult> {
  const raw = loadRaw(args.file);
  const valid = validateAll(raw);
  settle();
  const started = performance.now();
  const engine = new Engine({ policies: [benchPolicy] });
  await engine.recordValidated(valid);
  const findings = engine.findings();
  return { events: raw.length, ms: performance.now() - started, customers: engine.customers().length, findings: findings.length };
}
