import { SingleBar } from 'cli-progress';
import type { Writable } from 'node:stream';

/** Reading progress. A no-op unless stderr is a terminal: pipes and logs get no control codes. */
export interface Progress {
  start(totalBytes: number): void;
  update(bytes: number, events: number): void;
  stop(): void;
}

const silent: Progress = { start() {}, update() {}, stop() {} };

export function createProgress(stderr: Writable, isTTY: boolean): Progress {
  if (!isTTY) return silent;
  let bar: SingleBar | undefined;
  return {
    start(totalBytes) {
      if (totalBytes <= 0) return; // stdin alone: no size to measure against
      bar = new SingleBar({
        stream: stderr,
        format: 'reading {bar} {percentage}% | {events} events | {eta_formatted}',
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        clearOnComplete: true,
        barsize: 30,
        fps: 10,
      });
      bar.start(totalBytes, 0, { events: 0 });
    },
    update(bytes, events) {
      bar?.update(bytes, { events });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
