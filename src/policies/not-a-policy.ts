import { describeValue } from '../describe-value.js';
import { carriesPolicyMark } from './policy-mark.js';

/**
 * Why a value given as a policy is not one, with the fix for the two usual mistakes (a policy
 * written by hand without definePolicy, a function that makes one): the one wording for the
 * Engine's `policies` and the plugin loader's exports. `given`: how the caller gave it
 * (`export`ed from a plugin, `pass`ed to the Engine), for the function's fix. With advice the value
 * stays in parentheses, "(got …: do this)"; without, it reads as every other wrong value: "must be
 * …, got …", an object by its keys (the shape a hand-written policy without a name shows).
 */
export function notAPolicy(value: unknown, given: 'export' | 'pass'): string {
  const advice = adviceFor(value, given);
  if (advice !== undefined) return `is not a policy made with definePolicy (got ${advice.got}: ${advice.fix})`;
  return `must be a policy made with definePolicy, got ${shown(value)}`;
}

function adviceFor(value: unknown, given: 'export' | 'pass'): { readonly got: string; readonly fix: string } | undefined {
  if (typeof value === 'function') return { got: `a function${value.name === '' ? '' : ` "${value.name}"`}`, fix: `${given} the policy, not a function that makes one` };
  const name = isPlainObject(value) ? (value as { name?: unknown }).name : undefined;
  if (typeof name !== 'string') return undefined;
  // A mark definePolicy did not give: copied with a policy's every property, or set by hand.
  if (carriesPolicyMark(value)) {
    return {
      got: `a plain object named "${name}" with a policy mark definePolicy did not give it, copied from a policy or set by hand`,
      fix: 'pass the policy definePolicy returned, or wrap the object in definePolicy({ … }) from "heed"',
    };
  }
  return { got: `a plain object named "${name}"`, fix: 'wrap it in definePolicy({ … }) from "heed"' };
}

/** Policies come in an array (the Engine's `policies`, a plugin's export): an array among them is one inside it. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return 'an array inside the array';
  if (!isPlainObject(value)) return describeValue(value);
  const keys = Object.keys(value as object).slice(0, 6).join(', ');
  return `an object with ${keys === '' ? 'no keys' : `keys ${keys}`}`;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
