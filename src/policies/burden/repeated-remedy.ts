import { compareStrings } from '../../engine/finding.js';
import { toIso } from '../../time/instant.js';
import type { CoreFindingInput } from '../core-findings.js';
import type { PolicyContext } from '../define-policy.js';
import { matterName, timesText } from '../wording.js';
import type { BurdenOptions } from './options.js';
import type { Attempt, MatterBurden } from './state.js';

/**
 * `burden.repeated-remedy`: the same fix method failed again on a matter (partial, failed or
 * worsened all count: none of them fixed it). One finding per matter and method, updated as the
 * failures grow; a breach from the third failure, or as soon as the method made things worse.
 */
export function checkRepeatedRemedy(matter: MatterBurden, matterId: string, method: string, ctx: PolicyContext<BurdenOptions>): void {
  const failed = unsuccessful(matter.attempts, method);
  if (failed.length < 2) return;
  const worsened = failed.some((a) => a.outcome === 'worsened');
  const outcomes = failed.map((a) => a.outcome);
  ctx.report({
    kind: 'burden.repeated-remedy',
    subject: `${matterId}/${method}`,
    matterId,
    detectedAt: (failed[1] as Attempt).time,
    severity: failed.length >= 3 || worsened ? 'breach' : 'warning',
    message: `The customer has been put through "${method}" ${timesText(failed.length)} on ${matterName(matterId, matter.title)} without a fix (${outcomes.join(', ')}); change the remedy or ask before trying it again.`,
    evidence: failed.map((a) => a.eventId),
    details: { method, failures: failed.length, outcomes, lastAttemptAt: toIso(ctx.now) },
  } satisfies CoreFindingInput<'burden.repeated-remedy'>);
}

export function unsuccessful(attempts: readonly Attempt[], method: string): Attempt[] {
  // Time, then event id: attempts recorded at the same instant read the same in any append order.
  return attempts
    .filter((a) => a.method === method && a.outcome !== 'succeeded')
    .sort((a, b) => a.time - b.time || compareStrings(a.eventId, b.eventId));
}
