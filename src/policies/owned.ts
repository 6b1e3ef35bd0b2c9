import { isDraft, original, type Draft } from 'immer';

/**
 * How the built-in policies use their immer draft: only its top level is read and written through
 * the draft. A collection under it (a record of matters, a list of ids) is taken out as a plain
 * shallow copy, at most once per produce (`writable`), or read as it stands without a copy
 * (`readable`); the records inside collections are immutable, replaced rather than changed in
 * place (their types are readonly). Why: reading a record through a draft makes a proxy for it,
 * every access then goes through a trap, and once a produce holds more than one draft immer walks
 * every value added under it when the produce ends. At every event and wake-up that cost more than
 * the policies' own work. The state stays plain data, and a produce still never changes the state
 * it started from: the copies are new objects, and shared records are never mutated.
 *
 * Outside a produce (a plain state, as in unit tests of a policy's parts) both return the value
 * itself, to be changed in place.
 *
 * Rule for callers: a collection taken with `writable` or `readable` is never also reached as
 * `state.key` in the same produce; assign a whole new collection with `replace`.
 */

/** Copies taken per root draft (a draft lives for one produce). */
const copies = new WeakMap<object, Map<PropertyKey, unknown>>();

// The state of the last call, its base and its copies: calls come in runs on one state (a
// produce), so this saves the draft check and the WeakMap lookup on nearly every call. It keeps
// the last produce's copies alive until the next call, no longer.
let last: object | undefined;
let lastBase: Record<PropertyKey, unknown> = {};
/** Undefined for a plain state. */
let lastTaken: Map<PropertyKey, unknown> | undefined;

function enter(state: object): void {
  if (state === last) return;
  last = state;
  if (isDraft(state)) {
    lastBase = original(state as Draft<object>) as Record<PropertyKey, unknown>;
    let taken = copies.get(state);
    if (taken === undefined) copies.set(state, (taken = new Map()));
    lastTaken = taken;
  } else {
    lastBase = state as Record<PropertyKey, unknown>;
    lastTaken = undefined;
  }
}

/** The collection at `key` as it stands now, without drafting it. Do not change it. */
export function readable<S extends object, K extends keyof S>(state: S, key: K): S[K] {
  enter(state);
  const taken = lastTaken?.get(key);
  return (taken !== undefined ? taken : lastBase[key]) as S[K];
}

/** The collection at `key` as a plain copy this produce owns (copied on first use), to change in place. */
export function writable<S extends object, K extends keyof S>(state: S, key: K): S[K] {
  enter(state);
  const taken = lastTaken;
  if (taken === undefined) return state[key];
  let value = taken.get(key) as S[K] | undefined;
  if (value === undefined) {
    value = shallowCopy(lastBase[key] as S[K]);
    taken.set(key, value);
    state[key] = value;
  }
  return value;
}

/** Put a new collection at `key` (owned by this produce from now on). */
export function replace<S extends object, K extends keyof S>(state: S, key: K, value: S[K]): void {
  enter(state);
  state[key] = value;
  lastTaken?.set(key, value);
}

function shallowCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.slice() as T;
  if (typeof value === 'object' && value !== null) {
    // A record keyed by input ids has no prototype (keyed.ts): its copy must not get one back.
    return Object.getPrototypeOf(value) === null ? Object.assign(Object.create(null) as T & object, value) : { ...value };
  }
  return value;
}
