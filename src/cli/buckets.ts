import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Input text a bucket is sized for: about 48k events of the benchmark's journeys, whose objects,
 * policy states and findings stay within a few tens of megabytes while one bucket is evaluated.
 * An input no larger stays in memory as one bucket, with no file written.
 */
export const BUCKET_CHARS = 8 << 20;
/** Buckets when stdin's size cannot be known in advance: a 500 MB stream still gives ~8 MB buckets. */
const STDIN_BUCKETS = 64;
/** Open files and write buffers stay few; past this (inputs over ~2 GB) buckets grow instead. */
const MAX_BUCKETS = 256;
/** Characters gathered per bucket before one write. */
const WRITE_CHARS = 1 << 16;

export interface BucketOptions {
  /** The spill directory, made when spilling starts. */
  readonly makeDir: () => string;
  /** The size of the named input files in bytes. */
  readonly knownBytes: number;
  /** Whether stdin is read too (its size is unknown). */
  readonly stdin: boolean;
  /** Spill from the first event into this many buckets, whatever the size (tests only, see `spillBucketsFromEnv`). */
  readonly forceBuckets?: number;
  /** Input characters per bucket (default BUCKET_CHARS; tests make it small). */
  readonly bucketChars?: number;
  /** When spilling, cut each bucket into this many (for worker threads, each holding one); up to the cap on buckets. */
  readonly finer?: number;
}

/**
 * Input lines (records of a LineCodec, one line each) partitioned by customer into buckets that
 * are evaluated one at a time, so a replay holds one bucket of the input, never the whole of it.
 * Records are held in memory (one bucket) until more than BUCKET_CHARS of input has arrived; from
 * then on every record is appended to one of B files chosen by a hash of its customer id, so each
 * customer's whole stream lands in one bucket, in input order. B comes from the input's size
 * (about BUCKET_CHARS per bucket).
 */
export class LineBuckets {
  readonly #options: BucketOptions;
  /** Records held before spilling (all of them for a small input), and the customer of each. */
  #held: string[] = [];
  #heldCustomers: string[] = [];
  #heldChars = 0;
  #files: { path: string; fd: number; buffer: string }[] | undefined;

  constructor(options: BucketOptions) {
    this.#options = options;
    if (options.forceBuckets !== undefined) this.#spill(options.forceBuckets);
  }

  /** Whether the events went to files. */
  get spilled(): boolean {
    return this.#files !== undefined;
  }

  /** How many buckets there are (1 while in memory). */
  get count(): number {
    return this.#files?.length ?? 1;
  }

  /** One record, of `customerId`'s stream (a line without a customer id, which is invalid, goes anywhere). */
  add(customerId: string, record: string): void {
    const files = this.#files;
    if (files !== undefined) {
      this.#write(files, customerId, record);
      return;
    }
    this.#held.push(record);
    this.#heldCustomers.push(customerId);
    this.#heldChars += record.length;
    const size = this.#options.bucketChars ?? BUCKET_CHARS;
    if (this.#heldChars > size) {
      const known = Math.max(this.#options.knownBytes, this.#heldChars);
      const count = Math.max(2, Math.ceil(known / size), this.#options.stdin ? STDIN_BUCKETS : 0) * (this.#options.finer ?? 1);
      this.#spill(Math.min(MAX_BUCKETS, count));
    }
  }

  /**
   * Every bucket's records in input order, one bucket at a time: a bucket's file is read and
   * deleted only when its turn comes, and nothing here holds a bucket once it is handed over.
   */
  *buckets(): Generator<string[]> {
    const files = this.#files;
    if (files === undefined) {
      const held = this.#held;
      this.#held = [];
      this.#heldCustomers = [];
      if (held.length > 0) yield held;
      return;
    }
    for (const path of this.finishFiles()) {
      const records = takeBucketFile(path);
      if (records.length > 0) yield records;
    }
  }

  /**
   * The bucket files, complete, for someone else to read (with `takeBucketFile`, in bucket
   * order): the alternative to `buckets()` once spilled.
   */
  finishFiles(): string[] {
    const files = this.#files ?? [];
    for (const file of files) {
      if (file.buffer !== '') writeSync(file.fd, file.buffer);
      file.buffer = '';
      closeSync(file.fd);
    }
    return files.map((file) => file.path);
  }

  #spill(count: number): void {
    const dir = this.#options.makeDir();
    const files = Array.from({ length: count }, (_, index) => {
      const path = join(dir, `events-${index}.jsonl`);
      return { path, fd: openSync(path, 'w'), buffer: '' };
    });
    this.#files = files;
    for (const [index, record] of this.#held.entries()) this.#write(files, this.#heldCustomers[index] as string, record);
    this.#held = [];
    this.#heldCustomers = [];
  }

  #write(files: { fd: number; buffer: string }[], customerId: string, record: string): void {
    const file = files[files.length === 1 ? 0 : bucketOf(customerId, files.length)] as { fd: number; buffer: string };
    file.buffer += `${record}\n`;
    if (file.buffer.length >= WRITE_CHARS) {
      writeSync(file.fd, file.buffer);
      file.buffer = '';
    }
  }
}

/** A bucket file's records, in input order; the file is deleted once read. */
export function takeBucketFile(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  rmSync(path);
  const records: string[] = [];
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    records.push(text.slice(start, end));
    start = end + 1;
  }
  return records;
}

/** A stable hash of the customer id (FNV-1a over its UTF-16 code units), modulo `count`. */
export function bucketOf(customerId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) hash = Math.imul(hash ^ customerId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % count;
}

/**
 * `HEED_REPLAY_BUCKETS=<n>`: spill every input, however small, into n buckets. For tests only (so
 * the spilled path can be checked against the in-memory one on small files); not documented for
 * users, and ignored unless a whole number from 1 to MAX_BUCKETS.
 */
export function spillBucketsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env['HEED_REPLAY_BUCKETS'];
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const count = Number(value);
  return count >= 1 && count <= MAX_BUCKETS ? count : undefined;
}
