import { functionSite } from '../config/function-site.js';
import { throwSite } from '../config/throw-site.js';
import { returnedBy } from '../engine/returned-value.js';
import type { PolicyError } from '../errors.js';
import type { AnyPolicy } from '../policies/define-policy.js';

/**
 * Where a plugin's policy failed, for the CLI's one line: `heed: policy "x" failed on event "a2"
 * of customer "c": Cannot read properties of undefined (reading 'length') (at
 * /srv/crm/plugins/no-reply.js:12:7)`. The library's PolicyError names the policy, the event and
 * the customer, and keeps what the policy threw as its `cause`; the CLI, which loaded the plugin,
 * knows its module, and takes the first stack frame in it (`throwSite`, as for a plugin that throws
 * when imported). An evolve or tick that returned a value has no frame left to take: the line
 * names where that function is defined (`functionSite`). A policy not loaded from a plugin (a
 * built-in one, one handed to the `run` seam) gets none; no stack is ever printed.
 */

/** Each plugin policy's name, to the policy and the URL of the module it was loaded from. */
export type PolicySites = ReadonlyMap<string, { readonly url: string; readonly policy: AnyPolicy }>;

export function policySites(plugins: readonly { readonly url: string; readonly policies: readonly AnyPolicy[] }[]): PolicySites {
  const sites = new Map<string, { url: string; policy: AnyPolicy }>();
  for (const plugin of plugins) for (const policy of plugin.policies) sites.set(policy.name, { url: plugin.url, policy });
  return sites;
}

/**
 * ` (at file:line:column)` for a failure of a plugin's policy, or empty. The error the policy threw
 * is the PolicyError's cause; one heed wraps (a finding refused, immer's Map and Set error) is
 * followed to its own cause, a few levels at most.
 */
export function failureSite(error: PolicyError, sites: PolicySites): string {
  const site = sites.get(error.policy);
  if (site === undefined) return '';
  const { url, policy } = site;
  const returned = returnedBy(error.cause);
  if (returned !== undefined) return functionSite(policy[returned], url);
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++, cause = cause.cause) {
    const site = throwSite(cause, url);
    if (site !== '') return site;
  }
  return '';
}

/**
 * What the CLI throws for the binary to print as `heed: <message>`: the PolicyError itself when
 * there is no site, else an Error whose message adds the site, with the PolicyError as its cause.
 */
export function withSite(error: PolicyError, sites: PolicySites): Error {
  const site = failureSite(error, sites);
  return site === '' ? error : new Error(`${error.message}${site}`, { cause: error });
}
