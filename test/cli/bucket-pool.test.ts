import { describe, expect, it } from 'vitest';
import { bucketWorkers } from '../../src/cli/bucket-pool.js';

describe('bucketWorkers: how many worker threads pass 2 may use', () => {
  it('uses one per core, up to four, when nothing is asked', () => {
    expect(bucketWorkers({}, true, 2)).toEqual({ count: 2, explicit: false });
    expect(bucketWorkers({}, true, 16)).toEqual({ count: 4, explicit: false });
    expect(bucketWorkers({}, true, 1)).toEqual({ count: 1, explicit: false });
  });

  it('takes HEED_REPLAY_WORKERS as asked for (whatever the input size), capped at four; 0 means one thread', () => {
    expect(bucketWorkers({ HEED_REPLAY_WORKERS: '3' }, true, 2)).toEqual({ count: 3, explicit: true });
    expect(bucketWorkers({ HEED_REPLAY_WORKERS: '9' }, true, 2)).toEqual({ count: 4, explicit: true });
    expect(bucketWorkers({ HEED_REPLAY_WORKERS: '0' }, true, 2)).toEqual({ count: 1, explicit: true });
    expect(bucketWorkers({ HEED_REPLAY_WORKERS: 'many' }, true, 2)).toEqual({ count: 2, explicit: false });
  });

  it('stays in one thread when there is no built worker script (the CLI run from source)', () => {
    expect(bucketWorkers({ HEED_REPLAY_WORKERS: '3' }, false, 8)).toEqual({ count: 1, explicit: false });
  });
});
