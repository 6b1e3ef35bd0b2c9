import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { HOW_TO_LOAD } from '../config/config.js';
import { readConfigFile, resolveConfigWithPlugins, type LoadedConfig } from '../config/load-config.js';
import type { PluginRequest } from '../config/load-plugins.js';
import { Engine } from '../engine/engine.js';
import type { Snapshot } from '../engine/snapshot.js';
import { ConfigError, InvalidInputError, PolicyError, type ValidationError } from '../errors.js';
import { fileKey } from '../file-key.js';
import type { ValidEvent } from '../events/event.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import { loadInput, type LoadedInput } from './input.js';
import { exitCodes, type CliIo } from './io.js';
import { replayInGroups } from './replay-groups.js';
import { printProblems } from './problems.js';
import { createProgress } from './progress.js';
import { SpillSpace } from './spill-dir.js';
import { adviseOnPlugins } from './custom-types.js';
import { policySites, withSite, type PolicySites } from './policy-site.js';

/** Thrown by an option check; `run` prints it with the usage and exits 2. */
export class CliUsageError extends Error {}

/** The flags every verb that builds an engine takes: a configuration file and plugin modules. */
export interface EngineFlags {
  readonly config?: string;
  /** `--plugin <module>` (repeatable): loaded after the configuration's `plugins`, resolved from the current directory. */
  readonly plugin?: readonly string[];
}

export interface JourneyOptions extends EngineFlags {
  readonly until?: string;
}

export type Loaded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: number };

/** Load the configuration (the built-in defaults when no file is given) and plugins into a ready engine. */
export async function createEngine(io: CliIo, policies: readonly AnyPolicy[], flags: EngineFlags): Promise<Loaded<Engine>> {
  const configured = await createConfiguredEngine(io, policies, flags);
  return configured.ok ? { ok: true, value: configured.value.engine } : configured;
}

/** The configuration file as read once (a worker thread resolves the same text, never re-reads the file). */
export interface ConfigSource {
  readonly file: string;
  readonly text: string;
}

/**
 * What a worker thread rebuilds the CLI's engine from: the configuration's text and the resolved
 * URLs of the plugin modules, in the order loaded (each module is imported, never resolved again).
 */
export interface EngineRecipe {
  readonly config: ConfigSource | undefined;
  readonly plugins: readonly string[];
}

export interface ConfiguredEngine {
  readonly engine: Engine;
  readonly recipe: EngineRecipe;
  /** The module each plugin policy came from, to say where one threw (policy-site.ts). */
  readonly sites: PolicySites;
}

/**
 * `createEngine`, also giving the recipe for the same engine: the configuration file's text and
 * the plugins' URLs. `policies` are the ones the plugins are added to (the built-in ones but
 * through the `run` seam). Any problem with the file or a plugin is printed (exit code 1).
 */
export async function createConfiguredEngine(
  io: CliIo,
  policies: readonly AnyPolicy[],
  flags: EngineFlags,
): Promise<Loaded<ConfiguredEngine>> {
  const configFile = flags.config;
  let loaded: LoadedConfig;
  let source: ConfigSource | undefined;
  try {
    if (configFile !== undefined) source = { file: configFile, text: await readConfigFile(configFile) };
    const extra = (flags.plugin ?? []).map((specifier): PluginRequest => ({ specifier: flagModule(specifier), from: process.cwd(), location: { path: '--plugin' } }));
    loaded = await resolveConfigWithPlugins(source, { policies, extra, howToLoad: HOW_TO_LOAD.cli });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    await printProblems(io.stderr, error.errors, problemSources(error.errors, configFile));
    return { ok: false, code: exitCodes.invalid };
  }
  const engine = new Engine({ policies: loaded.policies, config: loaded.config });
  adviseOnPlugins(engine, loaded.plugins.length);
  return { ok: true, value: { engine, recipe: { config: source, plugins: loaded.plugins.map((p) => p.url) }, sites: policySites(loaded.plugins) } };
}

/**
 * Where the configuration's problems are, for the closing line: the file for problems located in
 * it, `--plugin` for the flag's own (which have no file), both when there are both. Naming the file
 * for a bad `--plugin` alone sent its author looking for a mistake in a file that has none.
 */
function problemSources(errors: readonly ValidationError[], configFile: string | undefined): string {
  const sources: string[] = [];
  if (configFile !== undefined && errors.some((e) => e.file !== undefined)) sources.push(configFile);
  if (errors.some((e) => e.file === undefined && e.path === '--plugin')) sources.push('--plugin');
  return sources.length > 0 ? sources.join(' and ') : (configFile ?? 'the configuration');
}

/**
 * A `--plugin` value as a module specifier. On the command line a file is named as the shell
 * names it (`plugins/x.js`, without `./`): an existing file is that file, anything else a package.
 */
function flagModule(value: string): string {
  if (value.startsWith('.') || isAbsolute(value) || value.startsWith('file:') || !existsSync(value)) return value;
  return `./${value}`;
}

/** Read and check the input; on any problem print them all and report exit code 1. */
export async function readInput(io: CliIo, engine: Engine, files: readonly string[]): Promise<Loaded<LoadedInput>> {
  const progress = createProgress(io.stderr, io.isTTY.stderr);
  // Only problems are spilled here (past those held in memory), and only until they are printed.
  const space = new SpillSpace();
  try {
    const input = await loadInput(files, io.stdin, { registry: engine.registry, calendar: engine.calendar }, progress, () => space.dir);
    if (input.problems.count > 0) {
      await printProblems(io.stderr, input.problems, describeFiles(files));
      return { ok: false, code: exitCodes.invalid };
    }
    return { ok: true, value: input };
  } finally {
    space.remove();
  }
}

export interface Replayed {
  /** The engine the input was read with (its calendar and registry); the evaluation ran in others. */
  readonly engine: Engine;
  /** The events evaluated (up to `--until`), when asked to keep them; otherwise empty. */
  readonly events: readonly ValidEvent[];
  readonly snapshot: Snapshot;
}

/**
 * `heed report`'s path: configuration, the whole input in memory, evaluation as of `--until`.
 * Unless `keepEvents` (the report draws them), each stream's events are released once folded.
 * (`heed replay` takes the bounded-memory path instead, `replayBuckets`.)
 */
export async function replayJourneys(
  io: CliIo,
  policies: readonly AnyPolicy[],
  files: readonly string[],
  options: JourneyOptions,
  keepEvents = false,
): Promise<Loaded<Replayed>> {
  const configured = await createConfiguredEngine(io, policies, options);
  if (!configured.ok) return configured;
  const { engine, sites } = configured.value;
  const until = options.until === undefined ? undefined : parseUntil(engine, options.until);
  const input = await readInput(io, engine, files);
  if (!input.ok) return input;
  const { streams } = input.value;
  const events: ValidEvent[] = [];
  if (keepEvents) for (const list of streams.values()) for (const e of list) if (until === undefined || e.time <= until) events.push(e);
  try {
    // replayInGroups empties `streams` as it goes: nothing else holds the events once folded.
    const snapshot = await replayInGroups(engine, streams, until);
    return { ok: true, value: { engine, events, snapshot } };
  } catch (error) {
    if (error instanceof PolicyError) throw withSite(error, sites);
    // The input was checked above; the engine re-checks it and would only disagree on a bug.
    if (!(error instanceof InvalidInputError)) throw error;
    await printProblems(io.stderr, error.errors, describeFiles(files));
    return { ok: false, code: exitCodes.invalid };
  }
}

export function parseUntil(engine: Engine, text: string): number {
  const ms = engine.calendar.parseInstant(text);
  if (ms === undefined) {
    throw new CliUsageError(`--until: expected an ISO-8601 date-time with Z or an offset (2018-01-31T17:00:00-07:00) or a date (2018-01-31); got "${text}"`);
  }
  return ms;
}

/**
 * The input as problem summaries name it: the file, `stdin`, or how many files. A file given more
 * than once (`heed replay a.jsonl a.jsonl`, or `a.jsonl ./a.jsonl`) is one file, said to be given
 * again: counted per argument, the summary read "in 2 files" over one file's problems.
 */
export function describeFiles(files: readonly string[]): string {
  const given = new Map<string, { name: string; times: number }>();
  for (const file of files) {
    const key = fileKey(file);
    const seen = given.get(key);
    if (seen === undefined) given.set(key, { name: file === '-' ? 'stdin' : file, times: 1 });
    else seen.times++;
  }
  const distinct = [...given.values()];
  const [only] = distinct;
  if (distinct.length === 1 && only !== undefined) return only.times === 1 ? only.name : `${only.name} (given ${timesGiven(only.times)})`;
  const again = distinct.filter((f) => f.times > 1).map((f) => `${f.name} given ${timesGiven(f.times)}`);
  return `${distinct.length} files${again.length === 0 ? '' : ` (${again.join(', ')})`}`;
}

function timesGiven(times: number): string {
  return times === 2 ? 'twice' : `${times} times`;
}

