import { isDraftable } from 'immer';
import { isBuiltinPolicy, type AnyPolicy } from '../policies/define-policy.js';

/**
 * A policy's initial state, and whether it is a fresh copy the engine owns (`Stream.fresh`). A
 * built-in policy's is taken as it is: each call builds a new graph of plain objects and arrays
 * from literals, shared with nothing (test/engine/fresh-state.test.ts checks it), so a copy would
 * be the same data at the cost of a second graph per customer and policy.
 */
export function initialStateOf(policy: AnyPolicy, options: unknown): { readonly state: unknown; readonly isFresh: boolean } {
  const state: unknown = policy.initialState(options as never);
  if (isBuiltinPolicy(policy)) return { state, isFresh: true };
  const copied = freshCopy(state);
  return copied === undefined ? { state, isFresh: false } : { state: copied.state, isFresh: true };
}

/**
 * A deep copy of what a policy's `initialState` returned, sharing no object with it, or
 * `undefined` when the state holds something this copy cannot reproduce exactly: anything but
 * plain objects, dense plain arrays and values immer never drafts, or an object reached twice (a
 * cycle, or one object under two keys, whose aliasing a copy would change). `initialState` may
 * hand out module-level constants or frozen objects; the copy is nobody else's, so the engine may
 * change it in place (see `Stream.fresh`). Values immer never drafts (a Date, a RegExp) are kept
 * as they are: immer would not copy them either. Maps and Sets are declined, as the engine's immer
 * does not draft them: such a state fails the same way on every run, not only after the first.
 */
export function freshCopy(value: unknown): { readonly state: unknown } | undefined {
  const state = copy(value, new Set());
  return state === UNSUPPORTED ? undefined : { state };
}

const UNSUPPORTED: unique symbol = Symbol('unsupported');

function copy(value: unknown, seen: Set<object>): unknown {
  if (typeof value !== 'object' || value === null || !isDraftable(value)) return value;
  if (seen.has(value)) return UNSUPPORTED;
  seen.add(value);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    // Dense, with no keys but its indices and `length`: holes and extra keys are not copied faithfully.
    if (proto !== Array.prototype || Reflect.ownKeys(value).length !== value.length + 1) return UNSUPPORTED;
    const out: unknown[] = [];
    for (const item of value) {
      const c = copy(item, seen);
      if (c === UNSUPPORTED) return UNSUPPORTED;
      out.push(c);
    }
    return out;
  }
  if (proto !== Object.prototype && proto !== null) return UNSUPPORTED;
  const keys = Object.keys(value);
  // Assigning "__proto__" would set the copy's prototype instead of a key.
  if (Reflect.ownKeys(value).length !== keys.length || Object.hasOwn(value, '__proto__')) return UNSUPPORTED;
  const out = Object.create(proto) as Record<string, unknown>;
  for (const key of keys) {
    const c = copy((value as Record<string, unknown>)[key], seen);
    if (c === UNSUPPORTED) return UNSUPPORTED;
    out[key] = c;
  }
  return out;
}
