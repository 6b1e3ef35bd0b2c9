import { burden } from './burden.js';
import type { AnyPolicy } from './define-policy.js';
import { survey } from './survey.js';

/**
 * The built-in policies, in evaluation order. The engine runs these unless given a list.
 * Each lives in its own file and is written with the public `definePolicy` contract.
 */
export const builtinPolicies: readonly AnyPolicy[] = [burden, survey];
