/** Most UTF-8 bytes one UTF-16 code unit can take (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Output pieces, text or bytes already encoded, gathered as UTF-8 into one buffer so that many
 * small pieces make few writes. Bytes are copied as they are: a run file's text goes from disk to
 * the output without being decoded and encoded again. Text is encoded as Buffer.write and
 * stream.write encode it (a lone surrogate becomes U+FFFD), so the bytes are the same either way.
 */
export class ByteBatch {
  readonly #size: number;
  #bytes: Buffer;
  #length = 0;

  /**
   * `size`: the bytes to gather before a write (`full`). The buffer has room for twice that, so a
   * piece added before the batch is full fits without a copy when it may take up to `size` bytes
   * (a text is counted at its most, 3 bytes per code unit); a larger one gets a larger buffer.
   */
  constructor(size: number) {
    this.#size = size;
    this.#bytes = Buffer.allocUnsafe(2 * size);
  }

  /** Whether `size` bytes or more are gathered: time to `take` them. */
  get full(): boolean {
    return this.#length >= this.#size;
  }

  /** Whether nothing is gathered. */
  get empty(): boolean {
    return this.#length === 0;
  }

  add(piece: string | Uint8Array): void {
    if (typeof piece === 'string') {
      this.#room(piece.length * MAX_BYTES_PER_UNIT);
      this.#length += this.#bytes.write(piece, this.#length);
    } else {
      this.#room(piece.length);
      this.#bytes.set(piece, this.#length);
      this.#length += piece.length;
    }
  }

  /**
   * The bytes gathered, and a fresh start. The returned bytes are never written to again: a
   * stream may keep a buffer it was given after its write completes (a PassThrough does).
   */
  take(): Buffer {
    const taken = this.#bytes.subarray(0, this.#length);
    this.#bytes = Buffer.allocUnsafe(2 * this.#size);
    this.#length = 0;
    return taken;
  }

  /** Make room for `count` more bytes, moving what is gathered to a larger buffer if need be. */
  #room(count: number): void {
    if (this.#length + count <= this.#bytes.length) return;
    const larger = Buffer.allocUnsafe(Math.max(2 * this.#size, this.#length + count));
    this.#bytes.copy(larger, 0, 0, this.#length);
    this.#bytes = larger;
  }
}
