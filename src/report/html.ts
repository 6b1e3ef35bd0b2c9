/** Escaping and small builders for the report's HTML and SVG (text only: no DOM, no dependency). */

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape text for an element body. Quotes mean nothing there, so they stay as they are: written as
 * `&quot;` each cost six bytes, a sizeable share of a report whose messages quote titles.
 */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>]/g, (ch) => entities[ch] ?? ch);
}

/** Escape text for a quoted attribute value. */
export function escAttr(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => entities[ch] ?? ch);
}

export type Attrs = Readonly<Record<string, string | number | boolean | undefined | null>>;

/** ` name="value"` pairs; undefined, null and false are left out, true is written as the bare name. */
export function attrs(values: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escAttr(typeof value === 'number' ? round(value) : value)}"`;
  }
  return out;
}

/** An element with escaped attributes; `body` is already markup. */
export function el(name: string, values: Attrs, body?: string): string {
  return body === undefined ? `<${name}${attrs(values)}/>` : `<${name}${attrs(values)}>${body}</${name}>`;
}

/** A coordinate in a path: the value `toFixed(2)` gives, without its trailing zeros ("170", not "170.00"). */
export function num(n: number): string {
  return String(Number(n.toFixed(2)));
}

/** Coordinates with two decimals at most: smaller files, and the same text on every machine. */
export function round(n: number): number {
  return Math.round(n * 100) / 100;
}
