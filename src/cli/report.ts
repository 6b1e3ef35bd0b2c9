import type { AnyPolicy } from '../policies/define-policy.js';
import { plural } from '../policies/wording.js';
import { renderReport } from '../report/render-report.js';
import { write, type CliIo } from './io.js';
import { replayJourneys } from './journeys.js';
import { emit, refuseDirectory } from './output.js';

export interface ReportFlags {
  readonly config?: string;
  readonly until?: string;
  readonly out: string;
}

/** `heed report <files…> --out report.html`: one self-contained HTML file, a timeline per customer. */
export async function report(io: CliIo, policies: readonly AnyPolicy[], files: readonly string[], flags: ReportFlags): Promise<number> {
  const refused = await refuseDirectory(io, flags.out);
  if (refused !== undefined) return refused;
  const result = await replayJourneys(io, policies, files, flags, true);
  if (!result.ok) return result.code;
  const { snapshot, events, engine } = result.value;
  const html = renderReport({ snapshot, events, calendar: engine.calendar });
  const code = await emit(io, flags.out, html);
  if (code === 0) {
    await write(io.stderr, `heed: wrote ${flags.out} (${plural(snapshot.customers, 'customer')}, ${plural(snapshot.findings.length, 'finding')})\n`);
  }
  return code;
}
