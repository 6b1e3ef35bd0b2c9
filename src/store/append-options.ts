import { checkOptionNames, optionNames } from '../option-names.js';
import type { AppendOptions } from './event-store.js';

const APPEND_OPTIONS = optionNames<AppendOptions>({ expectedVersion: true });

/**
 * The names of a caller's append options, in every store: a misspelt `expectedversion` would
 * append without the concurrency check the caller asked for. The engine's own appends (marked
 * `VALIDATED`, a symbol and so no name) carry only known names and skip it.
 */
export function checkAppendOptions(options: AppendOptions): void {
  // The usual options (`{ expectedVersion }`, or none) are answered by comparing each name with
  // the only one there is: a caller appending events one at a time pays this on every append.
  // Any other name, own or inherited, goes to the general check, which decides and words it.
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
    let known = true;
    for (const name in options) {
      if (name !== 'expectedVersion') {
        known = false;
        break;
      }
    }
    if (known) return;
  }
  checkOptionNames('append', options, APPEND_OPTIONS);
}
