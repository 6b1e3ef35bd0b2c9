import { checkOptionNames, optionNames } from '../option-names.js';
import type { AppendOptions } from './event-store.js';

const APPEND_OPTIONS = optionNames<AppendOptions>({ expectedVersion: true });

/**
 * The names of a caller's append options, in every store: a misspelt `expectedversion` would
 * append without the concurrency check the caller asked for. The engine's own appends (marked
 * `VALIDATED`, a symbol and so no name) carry only known names and skip it.
 */
export function checkAppendOptions(options: AppendOptions): void {
  checkOptionNames('append', options, APPEND_OPTIONS);
}
