/** Event builders for the burden and survey specs (customerId left to the spec). */
export const opened = (at: string, matterId = 'm', severity?: string) => ({ type: 'MatterOpened', at, data: { matterId, ...(severity ? { severity } : {}) } });
export const resolved = (at: string, matterId = 'm', id?: string) => ({ ...(id ? { id } : {}), type: 'MatterResolved', at, data: { matterId } });
export const reopened = (at: string, matterId = 'm') => ({ type: 'MatterReopened', at, data: { matterId } });
export const attempt = (at: string, outcome: string, extra: Record<string, unknown> = {}, id?: string) => ({
  ...(id ? { id } : {}),
  type: 'FixAttempted',
  at,
  data: { matterId: 'm', method: 'remote-session', outcome, ...extra },
});
export const inbound = (at: string, data: Record<string, unknown> = {}, id?: string) => ({
  ...(id ? { id } : {}),
  type: 'ContactMade',
  at,
  data: { direction: 'inbound', channel: 'phone', ...data },
});
export const promise = (at: string, promiseId: string, dueBy: string, extra: Record<string, unknown> = {}) => ({
  type: 'PromiseMade',
  at,
  data: { promiseId, what: `promise ${promiseId}`, dueBy, ...extra },
});
export const task = (at: string, data: Record<string, unknown>) => ({ type: 'CustomerTaskRequested', at, data: { task: 'do something', ...data } });
