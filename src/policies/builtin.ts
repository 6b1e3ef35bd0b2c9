import { burden } from './burden.js';
import { feedback } from './feedback.js';
import { inattention } from './inattention.js';
import { promises } from './promises.js';
import { survey } from './survey.js';

/**
 * The built-in policies, in evaluation order. The engine runs these unless given a list.
 * Each lives in its own file and is written with the public policy contract.
 *
 * Typed as the tuple of the policies themselves, not as `AnyPolicy`s: the entries that check
 * event type names (`replay`, `heed/testing`'s `given` and `when`) read the types each policy
 * declares, and the built-in ones declare none beyond the core types, so a list such as
 * `[...builtinPolicies, myPlugin]` takes the core types and the plugin's, and no other name.
 */
export const builtinPolicies = [inattention, promises, burden, survey, feedback] as const;
