/**
 * The mark of a policy `definePolicy` made, recognised by every copy of heed in the process: a
 * plugin imports `definePolicy` from the package (dist/index.js, or index.cjs when it is required)
 * while the CLI runs its own bundled copy, and a host may load heed both ways. So the mark is
 * keyed by a registry-wide symbol (`Symbol.for`, shared by every copy and realm), and a module's
 * own WeakSet alone would refuse another copy's policies.
 *
 * The value under that key is not `true`, which anything could set, but the defining copy's own
 * check: a function that answers whether an object is one that copy's `definePolicy` returned (a
 * WeakSet private to the copy). An object that sets the key by hand, or copies it from a policy
 * with every own property (`Object.getOwnPropertyDescriptors`), carries a check that does not
 * know it, so it is refused by every copy. Set non-enumerable: a spread copy has no mark at all.
 */
const MARK = Symbol.for('heed.policy');

const marked = new WeakSet<object>();

/** This copy's check, the value of every mark it sets. Frozen: no one can make it answer otherwise. */
const madeHere = Object.freeze(function madeByDefinePolicy(value: unknown): boolean {
  return typeof value === 'object' && value !== null && marked.has(value);
});

/** Mark a policy `definePolicy` made (before it is frozen). */
export function markPolicy(policy: object): void {
  Object.defineProperty(policy, MARK, { value: madeHere });
  marked.add(policy);
}

/**
 * Whether a value is a policy made with `definePolicy` by any copy of heed: its own mark (an object
 * deriving from a policy through its prototype inherits the mark, not the checks of what it
 * overrides) holds a check that knows it. The mark is read without calling a getter.
 */
export function isMarkedPolicy(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const check = Object.getOwnPropertyDescriptor(value, MARK)?.value as unknown;
  if (check === madeHere) return marked.has(value);
  // Another copy's check answers for its own policies. One that throws, or that answers yes for an
  // object no copy ever made (a stand-in such as `() => true`), is no check.
  if (typeof check !== 'function') return false;
  try {
    const answer = check as (v: unknown) => unknown;
    return answer(value) === true && answer({}) === false;
  } catch {
    return false;
  }
}

/** Whether a value carries the mark as its own property, genuine or not: for the refusal's wording. */
export function carriesPolicyMark(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getOwnPropertyDescriptor(value, MARK) !== undefined;
}
