import { compareStrings } from '../../engine/finding.js';
import type { PromiseEntry } from './ledger.js';
import { setEntry } from '../../set-entry.js';

/**
 * Keep rate and lateness per party: promises made by a broker or partner count against the
 * company too ("take ownership"), and the summary shows who keeps theirs.
 */
export interface PartyRecord {
  made: number;
  pending: number;
  keptOnTime: number;
  /** Window promises kept before their window opened. */
  keptEarly: number;
  keptLate: number;
  /** Broken and never kept (by the due time passing, or explicitly). */
  broken: number;
  cancelled: number;
  /** Kept (on time or early) out of all promises decided (kept, kept late, broken); null before any is. */
  keepRate: number | null;
  lateMinutesTotal: number;
  lateMinutesMax: number;
}

/** The key for promises that name no party. */
export const UNATTRIBUTED = 'unattributed';

export function byParty(entries: readonly PromiseEntry[]): { byParty: Record<string, PartyRecord>; overall: PartyRecord } {
  const groups = new Map<string, PromiseEntry[]>();
  for (const entry of entries) {
    const key = entry.party ?? UNATTRIBUTED;
    let list = groups.get(key);
    if (list === undefined) groups.set(key, (list = []));
    list.push(entry);
  }
  const out: Record<string, PartyRecord> = {};
  for (const key of [...groups.keys()].sort(compareStrings)) setEntry(out, key, tally(groups.get(key) ?? []));
  return { byParty: out, overall: tally(entries) };
}

function tally(entries: readonly PromiseEntry[]): PartyRecord {
  const r: PartyRecord = {
    made: entries.length,
    pending: 0,
    keptOnTime: 0,
    keptEarly: 0,
    keptLate: 0,
    broken: 0,
    cancelled: 0,
    keepRate: null,
    lateMinutesTotal: 0,
    lateMinutesMax: 0,
  };
  for (const entry of entries) {
    switch (entry.status) {
      case 'pending':
        r.pending++;
        break;
      case 'kept':
        if (entry.outcome === 'early') r.keptEarly++;
        else r.keptOnTime++;
        break;
      case 'kept-late':
        r.keptLate++;
        r.lateMinutesTotal += entry.lateMinutes;
        r.lateMinutesMax = Math.max(r.lateMinutesMax, entry.lateMinutes);
        break;
      case 'broken':
        r.broken++;
        break;
      case 'cancelled':
        r.cancelled++;
        break;
    }
  }
  const decided = r.keptOnTime + r.keptEarly + r.keptLate + r.broken;
  r.keepRate = decided === 0 ? null : Math.round(((r.keptOnTime + r.keptEarly) / decided) * 1000) / 1000;
  return r;
}
