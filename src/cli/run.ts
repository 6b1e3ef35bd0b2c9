import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { builtinPolicies } from '../policies/builtin.js';
import type { AnyPolicy } from '../policies/define-policy.js';
import { exitCodes, type CliIo, type RunOptions } from './io.js';
import { CliUsageError } from './journeys.js';
import { formats, replay, type ReplayFlags } from './replay.js';
import { report, type ReportFlags } from './report.js';
import { schema, type SchemaFlags } from './schema.js';
import { validate, type ValidateFlags } from './validate.js';

/**
 * The `heed` command. `argv` is the arguments after the program name. Returns the exit code
 * (CONTRACT.md §4): 0 success (findings are not failures), 1 invalid input or configuration,
 * 2 usage error. Everything goes through `io`, so tests run the very code the binary runs.
 */
export async function run(argv: readonly string[], io: CliIo, options: RunOptions = {}): Promise<number> {
  const policies = options.policies ?? builtinPolicies;
  let code: number = exitCodes.ok;
  const program = buildProgram(io, policies, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    throw error;
  }
  return code;
}

function buildProgram(io: CliIo, policies: readonly AnyPolicy[], done: (code: number) => void): Command {
  const program = new Command('heed')
    .description('heed: find what a company forgets in its customer journeys (gaps, broken promises, burden, survey timing)')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  const config = () => new Option('-c, --config <file>', 'configuration file (JSON): calendar, plugins and policy options').argParser(fileName);
  const out = (description: string) => new Option('-o, --out <file>', description).argParser(fileName);
  // Repeatable: each --plugin adds a module (after the configuration's own `plugins`).
  const plugin = () =>
    new Option('-p, --plugin <module>', 'load a policy plugin (a path from the current directory, or a package name); repeatable').argParser(
      (value: string, previous: string[] | undefined) => {
        if (value === '') throw new InvalidArgumentError('The module name is empty.');
        return [...(previous ?? []), value];
      },
    );
  const until = () => new Option('-u, --until <instant>', 'evaluate as of this ISO-8601 instant or date (default: the latest event)');
  // An option check that fails after parsing is still a usage error: print it like commander does.
  const guard = (command: Command, action: () => Promise<number>) => async () => {
    try {
      done(await action());
    } catch (error) {
      if (error instanceof CliUsageError) command.error(`error: ${error.message}`, { exitCode: exitCodes.usage, code: 'heed.usage' });
      throw error;
    }
  };

  const replayCommand: Command = program
    .command('replay')
    .description('replay journeys and print the findings as of --until')
    .argument('<files...>', 'JSONL files of events (- reads standard input)')
    .addOption(config())
    .addOption(plugin())
    .addOption(until())
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('table'))
    .addOption(out('write the output to a file instead of standard output'))
    .action((files: string[], flags: ReplayFlags) => guard(replayCommand, () => replay(io, policies, checkFiles(files), flags))());

  const validateCommand: Command = program
    .command('validate')
    .description('check every line; print file:line: message for each problem')
    .argument('<files...>', 'JSONL files of events (- reads standard input)')
    .addOption(config())
    .addOption(plugin())
    .action((files: string[], flags: ValidateFlags) => guard(validateCommand, () => validate(io, policies, checkFiles(files), flags))());

  const reportCommand: Command = program
    .command('report')
    .description('write a self-contained HTML report with a timeline per customer')
    .argument('<files...>', 'JSONL files of events (- reads standard input)')
    .addOption(config())
    .addOption(plugin())
    .addOption(until())
    .addOption(out('the HTML file to write, e.g. report.html').makeOptionMandatory())
    .action((files: string[], flags: ReportFlags) => guard(reportCommand, () => report(io, policies, checkFiles(files), flags))());

  const schemaCommand: Command = program
    .command('schema')
    .description('print the JSON Schema of the event format (core types and the custom types of the plugins loaded)')
    .addOption(config())
    .addOption(plugin())
    .addOption(out('write the schema to a file instead of standard output'))
    .action((flags: SchemaFlags) => guard(schemaCommand, () => schema(io, policies, flags))());

  program.addHelpText(
    'after',
    '\nExit codes: 0 success (findings are not failures), 1 invalid input or configuration, 2 usage error.\n' +
      'Example: heed replay examples/journeys/*.jsonl --config examples/heed.config.json',
  );
  return program;
}

// An empty name is a name left out (an unset shell variable, `--out "$OUT"`), not a missing file.
function fileName(value: string): string {
  if (value === '') throw new InvalidArgumentError('The file name is empty.');
  return value;
}

function checkFiles(files: readonly string[]): string[] {
  if (files.filter((f) => f === '-').length > 1) throw new CliUsageError('standard input (-) can be read only once');
  if (files.includes('')) throw new CliUsageError('an input file name is empty ("")');
  return [...files];
}

/** The package version, read from package.json (two levels up from src/cli/ and from dist/cli/). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
