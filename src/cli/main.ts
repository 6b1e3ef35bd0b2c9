import { setFlagsFromString } from 'node:v8';
import { run } from './run.js';
import { removeSpillDirsOnExit } from './spill-dir.js';

// The `heed` binary: the process's streams into `run`. The exit code is set, not forced, so
// buffered output reaches a pipe before the process ends. (The shebang is added by the build.)

// A reader that stops early (`heed replay … | head`) is not an error: end quietly.
const closedPipe = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
process.stdout.on('error', (error) => {
  if (closedPipe(error)) process.exit(0);
  throw error;
});
// Nor is a closed stderr (`heed … 2>&1 | head -1`), but it must not change the exit code either
// (2 for usage, 1 for invalid input): the command runs to its end, its messages dropped (`write`).
process.stderr.on('error', (error) => {
  if (!closedPipe(error)) throw error;
});

// A replay's temporary spill files go with the process, however it ends.
removeSpillDirsOnExit();

// `replay` and `validate` hold one bucket of the input at a time but make garbage fast, and V8
// lets its heap grow to up to 4x what survived the last full collection before collecting again:
// most of the peak would be garbage. Growing by half instead keeps the peak near what is held,
// at little cost. `report` holds
// everything, where more frequent full collections would cost more: it keeps V8's default.
const command = process.argv[2];
if (command === 'replay' || command === 'validate') setFlagsFromString('--heap-growing-percent=100');

run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
  env: process.env,
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
