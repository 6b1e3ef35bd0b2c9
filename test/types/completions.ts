import { join } from 'node:path';
import ts from 'typescript';
import { root } from '../cli/helpers.js';

/**
 * What an editor offers at the `|` in `source` (a module next to the repository's tsconfig, so
 * `heed` resolves to the sources): asked of TypeScript's language service, as an editor asks it.
 */
export function completionsAt(source: string): string[] {
  const marker = source.indexOf('|');
  const text = source.slice(0, marker) + source.slice(marker + 1);
  return withService(text, (service, file) => (service.getCompletionsAtPosition(file, marker, {})?.entries ?? []).map((entry) => entry.name));
}

/** A compile error of a probe: the text it underlines, and its message (every line of its chain). */
export interface ProbeDiagnostic {
  readonly at: string;
  readonly message: string;
}

/**
 * The compile errors of `source` (a module placed as `completionsAt` places it) as `tsc` reports
 * them, so a test can read what a user is told, not only that something failed to compile.
 */
export function diagnosticsOf(source: string): ProbeDiagnostic[] {
  return withService(source, (service, file) =>
    [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)].map((d) => ({
      at: d.start === undefined ? '' : source.slice(d.start, d.start + (d.length ?? 0)),
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    })),
  );
}

function withService<T>(text: string, ask: (service: ts.LanguageService, file: string) => T): T {
  const file = join(root, 'completions-probe.ts');
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [file],
    getScriptVersion: () => '1',
    getScriptSnapshot: (path) => {
      const content = path === file ? text : ts.sys.readFile(path);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (path) => path === file || ts.sys.fileExists(path),
    readFile: (path) => (path === file ? text : ts.sys.readFile(path)),
    readDirectory: (...args) => ts.sys.readDirectory(...args),
    directoryExists: (path) => ts.sys.directoryExists(path),
    getDirectories: (path) => ts.sys.getDirectories(path),
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  try {
    return ask(service, file);
  } finally {
    service.dispose();
  }
}
