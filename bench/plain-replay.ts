import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { plainFoldAll, plainSummary, type RawEvent } from './plain-fold.js';

/**
 * Baseline (a) as a program, the counterpart of `heed replay file --format json`: read the JSONL
 * line by line, `JSON.parse` each line, sort each stream by time, fold a plain state per customer,
 * print the summaries as JSON. Figure 1 runs it compiled to plain JavaScript, like the heed CLI.
 */
async function main(file: string): Promise<void> {
  const events: RawEvent[] = [];
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('//')) events.push(JSON.parse(trimmed) as RawEvent);
  }
  const states = plainFoldAll(events);
  const summaries: Record<string, unknown> = {};
  for (const customerId of [...states.keys()].sort()) summaries[customerId] = plainSummary(states.get(customerId) as never);
  process.stdout.write(`${JSON.stringify({ customers: states.size, events: events.length, summaries })}\n`);
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: plain-replay <file.jsonl>');
await main(file);
