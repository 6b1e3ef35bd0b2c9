/**
 * The longest id a message quotes whole, in characters (code points, as the id rule counts them).
 * A valid id has up to 200 and a refused one any number; 60 are enough to tell which id a message
 * means, and keep a line readable. The error's fields (`customerId`, `eventId`) hold the id whole.
 */
export const QUOTED_ID_CHARACTERS = 60;

/**
 * An id of the caller's (a customer id or stream, an event id, a matter's or promise's id) as
 * every message quotes it: in JSON's double quotes, so a quote, a backslash or a line break inside
 * reads unambiguously; its first 60 characters and `…` when it is longer, never splitting a
 * character (an emoji is two UTF-16 units). The one rule, wherever an error names an id.
 */
export function quoteId(id: string): string {
  return JSON.stringify(shortenText(id, QUOTED_ID_CHARACTERS));
}

/**
 * `text` itself when it has at most `characters` characters (code points), else its first
 * `characters` and `…`: never half a character (an emoji is two UTF-16 units), whatever is cut.
 */
export function shortenText(text: string, characters: number): string {
  if (text.length <= characters) return text;
  let end = 0;
  for (let n = 0; n < characters && end < text.length; n++) {
    const unit = text.charCodeAt(end);
    // A high surrogate followed by a low one is one character: taken whole.
    end += unit >= 0xd800 && unit <= 0xdbff && end + 1 < text.length && isLow(text.charCodeAt(end + 1)) ? 2 : 1;
  }
  return end >= text.length ? text : `${text.slice(0, end)}…`;
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
