import { UsageError } from '../errors.js';

/**
 * A value returned by `evolve` or `tick` is refused rather than taken as the new state: a run folds
 * many events into one draft (or, on a fresh state, into the state itself, with no immer to tell a
 * replacement from a change), so a returned state could not follow immer's per-recipe rule the
 * same way however the events are batched. Refusing it is the same everywhere.
 */

/** The errors made here, and by which function: no stack frame of the policy is left to say where it is. */
const made = new WeakMap<UsageError, 'evolve' | 'tick'>();

export function returnedValue(what: 'evolve' | 'tick', customerId: string): UsageError {
  // The PolicyError's cause: `path` the definition's field, `rule` invalid-type (a value where
  // undefined belongs); the PolicyError itself names the policy, the customer and the event.
  const error = new UsageError(`${what} returned a value; change the draft instead and return nothing (an arrow function such as \`(s) => s.list.push(x)\` returns push's result: give it a block body)`, {
    path: what,
    rule: 'invalid-type',
    customerId,
  });
  made.set(error, what);
  return error;
}

/** Which of a policy's functions returned the value `error` refuses; undefined for any other error. */
export function returnedBy(error: unknown): 'evolve' | 'tick' | undefined {
  return error instanceof UsageError ? made.get(error) : undefined;
}
