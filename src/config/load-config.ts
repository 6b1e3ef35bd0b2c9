import { readFile } from 'node:fs/promises';
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { ConfigError, ValidationError } from '../errors.js';
import { builtinPolicies } from '../policies/builtin.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import { resolveConfig, type HeedConfig, type ResolvedConfig } from './config.js';

/**
 * Read and validate a JSON configuration file for the engine that will run `policies` (default:
 * the built-in ones, as for `new Engine`): their options are checked against their schemas.
 * Errors carry the file and the line of the offending key (jsonc-parser gives node offsets; plain
 * JSON.parse does not), so the CLI can print `heed.json:7: policies.inattention.maxSilense: unknown field`.
 */
export async function loadConfigFile(file: string, policies: readonly AnyPolicy[] = builtinPolicies): Promise<ResolvedConfig> {
  return resolveConfigText(await readConfigFile(file), file, policies);
}

/** A configuration file's text, or a ConfigError naming it. */
export async function readConfigFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String((error as Error).message);
    throw new ConfigError([new ValidationError({ file, path: '', rule: 'unreadable', message: reason })], file);
  }
}

/** A configuration file's text (already read from `file`), validated and resolved. */
export function resolveConfigText(text: string, file: string, policies: readonly AnyPolicy[]): ResolvedConfig {
  return resolveConfig(parseConfigText(text, file), policies, { file, locate: locator(text) });
}

/** Parse strict JSON (no comments, no trailing commas) with line-numbered syntax errors. */
export function parseConfigText(text: string, file: string): HeedConfig {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    // Only the first syntax error: the parser's later ones are consequences of it.
    throw new ConfigError(
      errors.slice(0, 1).map(
        (e) =>
          new ValidationError({ file, line: lineAt(text, e.offset), path: '', rule: 'invalid-json', message: `not valid JSON: ${printParseErrorCode(e.error)}` }),
      ),
      file,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError([new ValidationError({ file, line: 1, path: '', rule: 'not-an-object', message: 'the configuration must be a JSON object' })], file);
  }
  return value as HeedConfig;
}

function locator(text: string): (path: readonly (string | number)[]) => number | undefined {
  const tree = parseTree(text, [], { disallowComments: true });
  return (path) => {
    if (tree === undefined) return undefined;
    // Walk up to the nearest existing node: an unknown or missing key points at its parent.
    for (let length = path.length; length >= 0; length--) {
      const node: Node | undefined = findNodeAtLocation(tree, path.slice(0, length) as (string | number)[]);
      if (node !== undefined) return lineAt(text, (node.parent?.type === 'property' ? node.parent : node).offset);
    }
    return undefined;
  };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
