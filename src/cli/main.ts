import { run } from './run.js';

// The `heed` binary: the process's streams into `run`. The exit code is set, not forced, so
// buffered output reaches a pipe before the process ends. (The shebang is added by the build.)
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
    process.stderr.write(`heed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
