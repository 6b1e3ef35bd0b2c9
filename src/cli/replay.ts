import type { Snapshot } from '../engine/snapshot.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import type { Calendar } from '../time/calendar.js';
import { formatTable } from './format-table.js';
import type { CliIo } from './io.js';
import { replayJourneys } from './journeys.js';
import { jsonChunks } from './json-chunks.js';
import { emit } from './output.js';

export const formats = ['table', 'json', 'jsonl'] as const;
export type Format = (typeof formats)[number];

export interface ReplayFlags {
  readonly config?: string;
  readonly until?: string;
  readonly format: Format;
  readonly out?: string;
}

/** `heed replay <files…>`: evaluate the journeys and print the findings as of `--until`. */
export async function replay(io: CliIo, policies: readonly AnyPolicy[], files: readonly string[], flags: ReplayFlags): Promise<number> {
  const result = await replayJourneys(io, policies, files, flags);
  if (!result.ok) return result.code;
  const { snapshot, engine } = result.value;
  const color = flags.out === undefined && io.isTTY.stdout;
  return emit(io, flags.out, render(snapshot, flags.format, engine.calendar, color));
}

/** The output as pieces (one per finding for json and jsonl), written as they are produced. */
function render(snapshot: Snapshot, format: Format, calendar: Calendar, color: boolean): string | Iterable<string> {
  switch (format) {
    case 'json':
      return jsonChunks(snapshot);
    case 'jsonl':
      return jsonLines(snapshot.findings);
    case 'table':
      return formatTable(snapshot, calendar, color);
  }
}

function* jsonLines(findings: Snapshot['findings']): Generator<string> {
  for (const finding of findings) yield `${JSON.stringify(finding)}\n`;
}
