import { readFileSync } from 'node:fs';
import { Calendar, EventRegistry, type ValidEvent } from '../../src/index.js';
import type { RawEvent } from '../plain-fold.js';

/** Read and `JSON.parse` a whole JSONL file (outside the timed part of a task). */
export function loadRaw(file: string): RawEvent[] {
  const events: RawEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() !== '') events.push(JSON.parse(line) as RawEvent);
  }
  return events;
}

/** The events validated by heed's registry (outside the timed part); the first problem throws. */
export function validateAll(raw: readonly RawEvent[]): ValidEvent[] {
  const registry = new EventRegistry();
  const calendar = new Calendar();
  return raw.map((event, index) => {
    const result = registry.validate(event, calendar, { index });
    if (!result.ok) throw new Error(String(result.errors[0]));
    return result.event;
  });
}

/** What every task reports: how many events it handled and how long the timed part took. */
export interface TaskResult {
  readonly events: number;
  readonly ms: number;
  readonly [extra: string]: unknown;
}

/**
 * Collect the garbage of the untimed preparation before the timed part starts, so neither side
 * of a comparison pays for the other's setup. Tasks run with --expose-gc (bench/measure.ts).
 */
export function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
