import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { findNodeAtLocation, parse, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { ConfigError, ValidationError } from '../errors.js';
import { joinPath } from '../events/issues.js';
import { checkOptionNames, optionNames } from '../option-names.js';
import { builtinPolicies } from '../policies/builtin.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import { HOW_TO_LOAD, positionOf, resolveConfig, resolveConfigFor, type HeedConfig, type ResolvedConfig, type SourcePosition } from './config.js';
import { inFileOrder } from './file-order.js';
import { describeSyntaxError } from './json-syntax.js';
import { loadPlugins, type LoadedPlugin, type PluginRequest } from './load-plugins.js';

/**
 * Read and validate a JSON configuration file for the engine that will run `policies` (default:
 * the built-in ones, as for `new Engine`): their options are checked against their schemas. The
 * file's `plugins` are not loaded (the caller chose the policies): `loadConfigFileWithPlugins` does.
 * Errors carry the file and the line of the offending key (jsonc-parser gives node offsets; plain
 * JSON.parse does not), so the CLI can print `heed.json:7: policies.inattention.maxSilense: unknown field`.
 */
export async function loadConfigFile(file: string, policies: readonly AnyPolicy[] = builtinPolicies): Promise<ResolvedConfig> {
  return resolveConfigText(await readConfigFile(file), file, policies);
}

/** What `loadConfigFileWithPlugins` gives: the configuration and the policies it is for. */
export interface LoadedConfig {
  readonly config: ResolvedConfig;
  /** The policies to run (`new Engine({ policies, config })`): the given ones, then each plugin's, in the order listed. */
  readonly policies: readonly AnyPolicy[];
  /** The plugin modules loaded: specifier, resolved URL, policies. */
  readonly plugins: readonly LoadedPlugin[];
}

export interface PluginLoadOptions {
  /** The policies the plugins are added to. Default: the built-in policies. */
  readonly policies?: readonly AnyPolicy[];
}

const PLUGIN_LOAD_OPTIONS = optionNames<PluginLoadOptions>({ policies: true });

/**
 * Read a JSON configuration file, import its `plugins` (module specifiers; relative ones from the
 * file's directory, package names from the `node_modules` folders above it, as Node's `import`
 * finds them) and validate it for the built-in policies (or `options.policies`) plus the plugins'.
 * Each module exports its policies as its default export and/or as `policies`, each one made
 * with `definePolicy` or an array of them. A module that cannot be found or imported, exports no
 * policy or something else, or whose policy takes a name or an event type already taken is a
 * ConfigError naming the file, the line and `plugins[i]`, together with every other problem of
 * the file. Plugins are code: importing one runs it with the full trust of this process.
 */
export async function loadConfigFileWithPlugins(file: string, options: PluginLoadOptions = {}): Promise<LoadedConfig> {
  checkOptionNames('loadConfigFileWithPlugins', options, PLUGIN_LOAD_OPTIONS);
  return resolveConfigWithPlugins({ file, text: await readConfigFile(file) }, options);
}

/**
 * `loadConfigFileWithPlugins` for a file already read, or for none (`source` undefined: the
 * defaults), with `extra` plugins from elsewhere (the CLI's `--plugin`) loaded after the file's.
 */
export async function resolveConfigWithPlugins(
  source: { readonly file: string; readonly text: string } | undefined,
  options: PluginLoadOptions & { readonly extra?: readonly PluginRequest[]; readonly howToLoad?: string } = {},
): Promise<LoadedConfig> {
  const base = options.policies ?? builtinPolicies;
  const raw: unknown = source === undefined ? {} : parseConfigText(source.text, source.file);
  const locate = source === undefined ? undefined : locator(source.text);
  const listed = (raw as { plugins?: unknown }).plugins;
  const requests: PluginRequest[] = [];
  if (source !== undefined && Array.isArray(listed)) {
    const from = dirname(resolve(source.file));
    listed.forEach((specifier: unknown, i) => {
      // Entries that are not strings are reported by resolveConfig, with the rest of the file's shape.
      if (typeof specifier !== 'string' || specifier === '') return;
      requests.push({ specifier, from, location: { file: source.file, ...positionOf(locate?.(['plugins', i])), path: joinPath(['plugins', i]) } });
    });
  }
  requests.push(...(options.extra ?? []));
  const loaded = await loadPlugins(requests, base);
  const policies = [...base, ...loaded.plugins.flatMap((p) => p.policies)];
  let config: ResolvedConfig | undefined;
  let problems: readonly ValidationError[] = [];
  try {
    const where = source === undefined ? {} : { file: source.file, ...(locate === undefined ? {} : { locate }) };
    config = resolveConfigFor(raw, policies, where, options.howToLoad ?? HOW_TO_LOAD.plugins);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = error.errors;
  }
  // The options of a plugin that could not be imported read as an unknown policy: a consequence,
  // not news. A plugin that was imported but refused (a name clash, no policies) named its
  // policies, so an unknown name is still reported then.
  if (loaded.errors.some((e) => e.rule === 'plugin-not-found' || e.rule === 'plugin-import-failed')) problems = problems.filter((p) => p.rule !== 'unknown-policy');
  if (loaded.errors.length > 0 || problems.length > 0 || config === undefined) {
    // In file order, as every other list of problems (the --plugin ones, which have no line, last).
    throw new ConfigError(inFileOrder([...loaded.errors, ...problems]), source?.file);
  }
  return { config, policies, plugins: loaded.plugins };
}

/**
 * A configuration file's text, or a ConfigError naming it. A UTF-8 byte order mark (Windows
 * editors save one) is the file's encoding, not its content: left out, as for JSONL input. A
 * UTF-16 one is named as such: decoded as UTF-8 the file would be a puzzling syntax error.
 */
export async function readConfigFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a configuration file' : String((error as Error).message);
    throw new ConfigError([new ValidationError({ file, path: '', rule: 'unreadable', message: reason })], file);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const message = 'encoded as UTF-16 (it starts with a UTF-16 byte order mark); heed reads UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)';
    throw new ConfigError([new ValidationError({ file, line: 1, path: '', rule: 'unreadable', message })], file);
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A configuration file's text (already read from `file`), validated and resolved. */
export function resolveConfigText(text: string, file: string, policies: readonly AnyPolicy[]): ResolvedConfig {
  return resolveConfig(parseConfigText(text, file), policies, { file, locate: locator(text) });
}

/** Parse strict JSON (no comments, no trailing commas) with line-numbered syntax errors. */
export function parseConfigText(text: string, file: string): HeedConfig {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    // Only the first syntax error: the parser's later ones are consequences of it.
    throw new ConfigError(
      errors.slice(0, 1).map(
        (e) =>
          new ValidationError({ file, line: lineAt(text, e.offset), path: '', rule: 'invalid-json', message: `not valid JSON: ${describeSyntaxError(text, e)}` }),
      ),
      file,
    );
  }
  // jsonc-parser checked the syntax (it gives an error's line); JSON.parse builds the value, as
  // jsonc-parser assigns each key: a "__proto__" key set the object's prototype instead of being
  // a key, so it was never reported as unknown (and the options under it were lost).
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError([new ValidationError({ file, line: 1, path: '', rule: 'not-an-object', message: 'the configuration must be a JSON object' })], file);
  }
  return value as HeedConfig;
}

function locator(text: string): (path: readonly (string | number)[]) => SourcePosition | undefined {
  const tree = parseTree(text, [], { disallowComments: true });
  return (path) => {
    if (tree === undefined) return undefined;
    // Walk up to the nearest existing node: an unknown or missing key points at its parent.
    for (let length = path.length; length >= 0; length--) {
      const node: Node | undefined = findNodeAtLocation(tree, path.slice(0, length) as (string | number)[]);
      if (node !== undefined) return positionAt(text, (node.parent?.type === 'property' ? node.parent : node).offset);
    }
    return undefined;
  };
}

function lineAt(text: string, offset: number): number {
  return positionAt(text, offset).line;
}

/** The 1-based line and column (in UTF-16 units, as jsonc-parser's offsets count) of an offset. */
function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - start + 1 };
}
