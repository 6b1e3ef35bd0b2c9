import { run } from './run.js';

// The `heed` binary: the process's streams into `run`. The exit code is set, not forced, so
// buffered output reaches a pipe before the process ends. (The shebang is added by the build.)

// A reader that stops early (`heed replay … | head`) is not an error: end quietly.
const closedPipe = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
process.stdout.on('error', (error) => {
  if (closedPipe(error)) process.exit(0);
  throw error;
});

run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (closedPipe(error)) return;
    process.stderr.write(`heed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
