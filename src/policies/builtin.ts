import { burden } from './burden.js';
import type { AnyPolicy } from './define-policy.js';
import { feedback } from './feedback.js';
import { inattention } from './inattention.js';
import { promises } from './promises.js';
import { survey } from './survey.js';

/**
 * The built-in policies, in evaluation order. The engine runs these unless given a list.
 * Each lives in its own file and is written with the public policy contract.
 */
export const builtinPolicies: readonly AnyPolicy[] = [inattention, promises, burden, survey, feedback];
