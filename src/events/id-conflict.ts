import { ValidationError } from '../errors.js';
import type { ValidEvent } from './event.js';
import { quoteId } from '../quote-id.js';

/**
 * The `id-conflict` problem of an event whose id an earlier event holds with another payload: a
 * retry must be identical. One wording wherever it is found (the engine planning a batch, the CLI
 * checking its input), naming where the earlier event is: its file and line, else its position
 * (`event #1`), else the store. `index`: the event's own position in the batch, when it has no
 * file and line.
 */
export function idConflict(event: ValidEvent, index: number | undefined, earlier?: { readonly event: ValidEvent; readonly index: number | undefined }): ValidationError {
  const id = quoteId(event.id ?? '');
  let message = `event id ${id} was already recorded with a different payload; a retry must be identical`;
  if (earlier !== undefined) {
    const source = earlier.event.source;
    const where = source !== undefined ? `${source.file}:${source.line}, ` : earlier.index !== undefined ? `event #${earlier.index + 1}, ` : '';
    message =
      earlier.event.id === undefined
        ? `event id ${id} was assigned to an earlier event (${where}given without an id), which has a different payload; a retry must be identical`
        : `event id ${id} is used by an earlier event${where === '' ? '' : ` (${where.slice(0, -2)})`} with a different payload; a retry must be identical`;
  }
  return new ValidationError({
    ...(event.source !== undefined ? { file: event.source.file, line: event.source.line } : index !== undefined ? { index } : {}),
    customerId: event.customerId,
    eventType: event.type,
    ...(event.id !== undefined ? { eventId: event.id } : {}),
    path: 'id',
    rule: 'id-conflict',
    message,
  });
}
