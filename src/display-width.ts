/**
 * How many terminal columns text takes, and cutting it to a number of columns. A terminal shows
 * East Asian Wide and Fullwidth characters and emoji in two columns and combining marks in none,
 * so counting UTF-16 code units overflows a line with CJK text and can cut a surrogate pair or a
 * combining sequence in half. Text is measured and cut by grapheme (what a reader sees as one
 * character). Ambiguous-width characters (`…`, `─`, Greek, Cyrillic) count one column, as in a
 * terminal outside a CJK locale. Hand-written rather than a dependency: a range table and three
 * Unicode property escapes cover it.
 */

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Printable ASCII only: one column per code unit, the common case, measured without segmenting. */
const plainAscii = /^[\x20-\x7e]*$/;
/** Emoji shown as pictures (two columns): by default, or asked for with VS16 (U+FE0F). */
const emojiPresentation = /\p{Emoji_Presentation}|\uFE0F/u;
/** Takes no column on its own: combining marks, format characters (ZWJ, soft hyphen), controls. */
const zeroWidth = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;

/**
 * East Asian Wide (W) and Fullwidth (F) code points (Unicode EastAsianWidth.txt, 15.1), as sorted
 * inclusive [first, last] pairs; emoji are left to `emojiPresentation`, which matches them.
 */
const wideRanges: readonly number[] = [
  0x1100, 0x115f, 0x2329, 0x232a, 0x2e80, 0x2e99, 0x2e9b, 0x2ef3, 0x2f00, 0x2fd5, 0x2ff0, 0x303e,
  0x3041, 0x3096, 0x3099, 0x30ff, 0x3105, 0x312f, 0x3131, 0x318e, 0x3190, 0x31e3, 0x31ef, 0x321e,
  0x3220, 0x3247, 0x3250, 0xa48c, 0xa490, 0xa4c6, 0xa960, 0xa97c, 0xac00, 0xd7a3, 0xf900, 0xfaff,
  0xfe10, 0xfe19, 0xfe30, 0xfe52, 0xfe54, 0xfe66, 0xfe68, 0xfe6b, 0xff01, 0xff60, 0xffe0, 0xffe6,
  0x16fe0, 0x16fe4, 0x16ff0, 0x16ff1, 0x17000, 0x187f7, 0x18800, 0x18cd5, 0x18d00, 0x18d08,
  0x1aff0, 0x1aff3, 0x1aff5, 0x1affb, 0x1affd, 0x1affe, 0x1b000, 0x1b122, 0x1b132, 0x1b132,
  0x1b150, 0x1b152, 0x1b155, 0x1b155, 0x1b164, 0x1b167, 0x1b170, 0x1b2fb, 0x1f200, 0x1f202,
  0x1f210, 0x1f23b, 0x1f240, 0x1f248, 0x1f250, 0x1f251, 0x1f260, 0x1f265, 0x20000, 0x2fffd,
  0x30000, 0x3fffd,
];

function isWide(codePoint: number): boolean {
  // Binary search over the pairs: the index of the last range start <= codePoint.
  let low = 0;
  let high = wideRanges.length / 2 - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const first = wideRanges[2 * middle] ?? 0;
    const last = wideRanges[2 * middle + 1] ?? 0;
    if (codePoint < first) high = middle - 1;
    else if (codePoint > last) low = middle + 1;
    else return true;
  }
  return false;
}

/** The columns one grapheme takes: its first code point decides, unless it is an emoji picture. */
function graphemeWidth(grapheme: string): number {
  if (emojiPresentation.test(grapheme)) return 2;
  if (zeroWidth.test(grapheme)) return 0;
  return isWide(grapheme.codePointAt(0) ?? 0) ? 2 : 1;
}

/** The columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  if (plainAscii.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += graphemeWidth(segment);
  return width;
}

/**
 * The longest start of `text` that fits in `width` columns, cut between graphemes, and the rest.
 * `atLeastOne` takes the first grapheme even when it is wider than `width`, so a caller cutting a
 * long word into lines always moves on.
 */
export function splitAtWidth(text: string, width: number, atLeastOne = false): [head: string, rest: string] {
  const columns = Math.max(0, width);
  if (plainAscii.test(text)) {
    const end = atLeastOne ? Math.max(1, columns) : columns;
    return [text.slice(0, end), text.slice(end)];
  }
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    used += graphemeWidth(segment);
    if (used > columns && !(atLeastOne && index === 0)) break;
    end = index + segment.length;
  }
  return [text.slice(0, end), text.slice(end)];
}

/** At most `width` columns: cut between graphemes with an ellipsis when wider (nothing at all when width <= 1). */
export function truncateToWidth(text: string, width: number): string {
  if (width <= 1) return '';
  if (displayWidth(text) <= width) return text;
  return `${splitAtWidth(text, width - 1)[0]}…`;
}

/** The longest start of `text` of at most `units` UTF-16 code units that ends between graphemes. */
export function sliceGraphemes(text: string, units: number): string {
  if (text.length <= units) return text;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    if (index + segment.length > units) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}
