import { ValidationError } from '../errors.js';
import type { ValidEvent } from './event.js';
import { Lifecycle } from './lifecycle.js';

/**
 * Check the lifecycle rules over validated events (e.g. a whole JSONL export), per stream, in `at`
 * order (ties: input order). Every violation is returned, located at the offending event's file
 * and line when it has one. A stream keeps being checked after a violation (the bad event is
 * skipped), so one run lists all problems.
 */
export function lifecycleErrors(events: readonly ValidEvent[]): ValidationError[] {
  const streams = new Map<string, { event: ValidEvent; order: number }[]>();
  events.forEach((event, order) => {
    let list = streams.get(event.customerId);
    if (list === undefined) streams.set(event.customerId, (list = []));
    list.push({ event, order });
  });
  const errors: { error: ValidationError; order: number }[] = [];
  for (const list of streams.values()) {
    list.sort((a, b) => a.event.time - b.event.time || a.order - b.order);
    const lifecycle = new Lifecycle();
    for (const { event, order } of list) {
      const violation = lifecycle.apply(event);
      if (violation !== undefined) errors.push({ error: violationError(event, violation, order), order });
    }
  }
  return errors.sort((a, b) => a.order - b.order).map((e) => e.error);
}

export function violationError(
  event: ValidEvent,
  violation: { path: string; rule: string; message: string },
  index?: number,
): ValidationError {
  return new ValidationError({
    ...(event.source !== undefined ? { file: event.source.file, line: event.source.line } : index !== undefined ? { index } : {}),
    customerId: event.customerId,
    eventType: event.type,
    ...(event.id !== undefined ? { eventId: event.id } : {}),
    path: violation.path,
    rule: violation.rule,
    message: violation.message,
  });
}
