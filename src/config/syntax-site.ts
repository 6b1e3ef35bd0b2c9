import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/**
 * Where a plugin's syntax error is: ` (at /srv/crm/plugins/no-reply.js:12:7)`, after Node's words
 * ("Unexpected token ';'"), which for an ES module name no file and no line on Node 20: its
 * SyntaxError from `import()` has neither in its message nor in its stack, and `vm`'s
 * SourceTextModule, which would parse a module, is behind a flag. Two sources, in order:
 * - the stack's head, where Node puts `file:line`, the line and a caret for code it compiles as a
 *   script (a CommonJS plugin, or a CommonJS file it requires);
 * - the plugin's text compiled here as a script (never run), with the module syntax a script lacks
 *   (import and export declarations, `import.meta`, top-level await) blanked out in place, so every
 *   other character keeps its line and column; then, when the plugin itself parses, the files it
 *   imports by a relative path, as Node loads them before running any.
 * A place is given only where the parse here fails with Node's very message, so it is the error
 * Node met; empty when none is found (a module that is not a file, a syntax error in a package).
 */
export function syntaxSite(error: unknown, moduleUrl: string): string {
  if (!(error instanceof SyntaxError)) return '';
  const site = stackHead(error.stack ?? '') ?? (moduleUrl.startsWith('file:') ? searchModules(moduleUrl, error.message) : undefined);
  return site === undefined ? '' : ` (at ${site.file}:${site.line}${site.column === undefined ? '' : `:${site.column}`})`;
}

interface Site {
  readonly file: string;
  readonly line: number;
  /** 1-based; absent when Node's caret does not show it. */
  readonly column?: number;
}

/** `file:line`, the source line and its caret, as Node heads a compile error's stack with; undefined for another stack. */
function stackHead(stack: string): Site | undefined {
  const [head = '', source, caret] = stack.split('\n');
  const match = /^(.+):(\d+)$/.exec(head);
  if (match === null || source === undefined || caret === undefined) return undefined;
  const [, where = '', line = ''] = match;
  let file = where;
  if (where.startsWith('file:')) {
    try {
      file = fileURLToPath(where);
    } catch {
      return undefined;
    }
  }
  if (!file.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(file)) return undefined;
  const at = caret.indexOf('^');
  // An error at the end of the input points at the empty last line: its only column.
  const column = at >= 0 ? at + 1 : source === '' ? 1 : undefined;
  return { file, line: Number(line), ...(column === undefined ? {} : { column }) };
}

const MAX_FILES = 100;

/** The plugin file, then the files it imports by relative path (depth first, each once): the first where `message` is met. */
function searchModules(url: string, message: string): Site | undefined {
  const seen = new Set<string>();
  const visit = (href: string): Site | undefined => {
    if (seen.has(href) || seen.size >= MAX_FILES || !['.js', '.mjs', '.cjs'].includes(extname(new URL(href).pathname))) return undefined;
    seen.add(href);
    let file: string;
    let text: string;
    try {
      file = fileURLToPath(href);
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = parseAsModule(text, file);
    if (parsed.error !== undefined) return parsed.error.message === message ? parsed.error.site : undefined;
    for (const specifier of parsed.imports) {
      const found = visit(new URL(specifier, pathToFileURL(file)).href);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(url);
}

interface Parsed {
  /** The first syntax error that is not about module syntax, where it is. */
  readonly error?: { readonly message: string; readonly site: Site };
  /** Relative specifiers of the import and export-from declarations blanked on the way. */
  readonly imports: readonly string[];
}

/** Module code is strict; a prefix on the first line, so no later line moves. */
const PREFIX = "'use strict';";
const MAX_ROUNDS = 1000;

/** `text` parsed as a module would be, as far as a script parse can tell. */
function parseAsModule(original: string, file: string): Parsed {
  const imports: string[] = [];
  // Same lengths throughout: a hashbang (a module may start with one) and `import.meta` (an object's property to a script).
  let text = original.replace(/^#!.*/, (line) => ' '.repeat(line.length)).replace(/\bimport(?=\s*\.\s*meta\b)/g, 'Object');
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const failure = compileError(`${PREFIX}${text}`, file);
    if (failure === undefined) return { imports };
    const { message, site } = failure;
    const offset = offsetOf(text, site);
    if (offset !== undefined && /^await\b/.test(text.slice(offset)) && /^await is only valid|^Unexpected reserved word$/.test(message)) {
      // A module's own await at its top level; in a function that is not async, its error, in a module's words.
      const forAwait = /\bfor\s*$/.exec(text.slice(0, offset));
      const inFunction = forAwait === null ? !atTopLevel(text, offset, 'await'.length, 'new.target&&', file) : !atTopLevel(text, forAwait.index, 0, 'new.target;', file);
      if (inFunction) return { error: { message: 'Unexpected reserved word', site }, imports };
      text = `${text.slice(0, offset)}${blank('await')}${text.slice(offset + 'await'.length)}`;
      continue;
    }
    const patched = offset === undefined ? undefined : blankModuleSyntax(text, offset, message, imports);
    if (patched === undefined) return { error: failure, imports };
    text = patched;
  }
  return { imports };
}

function compileError(source: string, file: string): { message: string; site: Site } | undefined {
  try {
    new Script(source, { filename: file });
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return undefined;
    const head = stackHead(error.stack ?? '');
    if (head === undefined) return undefined;
    // The prefix shifts the first line's columns only.
    const site = head.line === 1 && head.column !== undefined ? { ...head, column: Math.max(1, head.column - PREFIX.length) } : head;
    return { message: error.message, site: { ...site, file } };
  }
}

/**
 * Whether `offset` is outside every function (where a module may await), by putting there, for
 * the `length` characters there, `by`: an expression or a statement a script refuses only outside
 * functions. (An arrow function does
 * not count as one: an await in a plain arrow passes for a top-level one, and goes unlocated.)
 */
function atTopLevel(text: string, offset: number, length: number, by: string, file: string): boolean {
  const probe = `${text.slice(0, offset)}${by}${text.slice(offset + length)}`;
  const failure = compileError(`${PREFIX}${probe}`, file);
  if (failure?.message !== 'new.target expression is not allowed here') return false;
  const at = offsetOf(probe, failure.site);
  return at !== undefined && at >= offset && at < offset + 'new.target'.length;
}

/** Where a site is in `text` (a line break as the parser counts one); undefined without a column. */
function offsetOf(text: string, site: Site): number | undefined {
  if (site.column === undefined) return undefined;
  let start = 0;
  const breaks = /\r\n|[\n\r\u2028\u2029]/g;
  for (let line = 1; line < site.line; line++) {
    const found = breaks.exec(text);
    if (found === null) return undefined;
    start = found.index + found[0].length;
  }
  return start + site.column - 1;
}

const STRING = String.raw`(['"])((?:[^'"\\\n]|\\.)*)\1(?:\s*(?:with|assert)\s*\{[^}]*\})?`;
const IMPORT = new RegExp(String.raw`^import\s*(?:[\w$]+\s*(?:,\s*)?)?(?:\{[^}]*\}\s*|\*\s*as\s+[\w$]+\s*)?(?:from\s*)?${STRING}`);
const EXPORT_LIST = new RegExp(String.raw`^export\s*(?:\*(?:\s*as\s+[\w$]+)?|\{[^}]*\})(?:\s*from\s*${STRING})?`);

/**
 * `text` with the module declaration a script parse stopped at, at `offset`, made script syntax of
 * the same length: an import blanked, `export` dropped from a declaration, `export default x` as
 * `void x`, an export list blanked. Undefined when the error is not
 * one of those (then it is the file's syntax error).
 */
function blankModuleSyntax(text: string, offset: number, message: string, imports: string[]): string | undefined {
  const rest = text.slice(offset);
  const replace = (length: number, by = '') => `${text.slice(0, offset)}${by}${blank(rest.slice(by.length, length))}${rest.slice(length)}`;
  const note = (specifier: string | undefined) => {
    if (specifier !== undefined && /^\.\.?\//.test(specifier)) imports.push(specifier);
  };
  if (message === 'Cannot use import statement outside a module') {
    const found = IMPORT.exec(rest);
    if (found === null) return undefined;
    note(found[2]);
    return replace(found[0].length);
  }
  if (message === "Unexpected token 'export'") {
    const byDefault = /^export\s+default\b/.exec(rest);
    if (byDefault !== null) return replace(byDefault[0].length, 'void');
    if (/^export\s+(?:const|let|var|function|class|async)\b/.test(rest)) return replace('export'.length);
    const list = EXPORT_LIST.exec(rest);
    if (list === null) return undefined;
    note(list[2]);
    return replace(list[0].length);
  }
  return undefined;
}

/** Spaces for every character but line breaks, which keep every later line where it was. */
function blank(text: string): string {
  return text.replace(/[^\n\r\u2028\u2029]/g, ' ');
}
