import { cpus, loadavg, release, totalmem } from 'node:os';

/** One line of bench/RESULTS.md. */
export interface Row {
  readonly figure: string;
  readonly measure: string;
  /** heed's side, formatted (time, throughput, memory). */
  readonly heed: string;
  readonly baseline: string;
  /** heed relative to its baseline, formatted (e.g. `1.8× the time`). */
  readonly ratio: string;
  readonly target: string;
  /** undefined: informational, no target. */
  readonly met?: boolean;
}

export interface FigureResult {
  readonly figure: number;
  readonly title: string;
  readonly rows: readonly Row[];
  /** Set when the figure could not be measured: why. */
  readonly unavailable?: string;
  readonly machine: Machine;
  /** Repetitions per measurement (the best was kept). */
  readonly reps?: number;
}

export interface Machine {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly os: string;
  /** 1-minute load average when the figure started: other work on the machine skews absolute numbers. */
  readonly load: number;
}

export function machine(): Machine {
  const list = cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
    load: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
}

export const fmt = {
  ms: (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`),
  rate: (events: number, ms: number): string => `${compact((events * 1000) / ms)} ev/s`,
  mb: (mb: number): string => `${Math.round(mb)} MB`,
  ratio: (x: number): string => `${x >= 100 ? Math.round(x) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`,
  us: (us: number): string => `${us >= 100 ? Math.round(us) : us.toFixed(1)} µs`,
};

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e5 ? 0 : 1)}k`;
  return n.toFixed(0);
}

/** Side of a row: "1.23 s · 812k ev/s · peak 950 MB". */
export function side(ms: number, events: number, peakRssMb: number): string {
  return `${fmt.ms(ms)} · ${fmt.rate(events, ms)} · peak ${fmt.mb(peakRssMb)}`;
}

/** The markdown of bench/RESULTS.md from the latest result of each figure. */
export function renderResults(results: readonly FigureResult[]): string {
  const sorted = [...results].sort((a, b) => a.figure - b.figure);
  const out: string[] = [
    '# heed benchmark results',
    '',
    'Written by `npm run bench` (see README § Performance). Each figure is a ratio to a baseline run',
    'side by side on the same machine, each measurement in its own child process (peak RSS is that',
    "process's high-water mark), best of the repetitions. Absolute numbers depend on the machine and",
    'on what else runs on it (the load average is recorded); the ratios are what the targets are about.',
    '',
  ];
  const machines = new Map<string, number[]>();
  for (const r of sorted) {
    const m = r.machine;
    const key = `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}`;
    machines.set(key, [...(machines.get(key) ?? []), r.figure]);
  }
  for (const [key, figures] of machines) out.push(`- Machine (figures ${figures.join(', ')}): ${key}`);
  out.push(
    '',
    '| figure | measure | heed | baseline | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
  );
  for (const r of sorted) {
    if (r.unavailable !== undefined) {
      out.push(`| ${r.figure}. ${r.title} | not available: ${escape(r.unavailable)} | — | — | — | — | — |`);
      continue;
    }
    for (const row of r.rows) {
      const met = row.met === undefined ? '—' : row.met ? 'met' : '**not met**';
      out.push(`| ${row.figure} | ${escape(row.measure)} | ${row.heed} | ${row.baseline} | ${row.ratio} | ${row.target} | ${met} |`);
    }
  }
  out.push('', '| figure | measured on | best of | load average |', '|---|---|---|---|');
  for (const r of sorted) out.push(`| ${r.figure}. ${r.title} | ${r.machine.date} | ${r.reps ?? '?'} | ${r.machine.load} |`);
  return `${out.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
