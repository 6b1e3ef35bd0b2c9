/** WCAG 2 contrast arithmetic for the report's tests: sRGB colours as `#rrggbb` or `rgb(r, g, b)`. */

export type Rgb = readonly [number, number, number];

export function parseColour(text: string): Rgb {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text.trim());
  if (hex) {
    const digits = (hex[1] ?? '').length === 3 ? [...(hex[1] ?? '')].map((d) => d + d) : (hex[1] ?? '').match(/../g) ?? [];
    return digits.map((d) => parseInt(d, 16)) as unknown as Rgb;
  }
  const rgb = /^rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)$/.exec(text.trim());
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`not a colour this test reads: ${text}`);
}

/** Relative luminance (WCAG 2.1). */
export function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(a: Rgb | string, b: Rgb | string): number {
  const [x, y] = [luminance(typeof a === 'string' ? parseColour(a) : a), luminance(typeof b === 'string' ? parseColour(b) : b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** A colour drawn with this opacity over a background, as the browser composites it (in sRGB). */
export function over(colour: Rgb | string, opacity: number, background: Rgb | string): Rgb {
  const c = typeof colour === 'string' ? parseColour(colour) : colour;
  const b = typeof background === 'string' ? parseColour(background) : background;
  return [0, 1, 2].map((i) => Math.round(opacity * (c[i] ?? 0) + (1 - opacity) * (b[i] ?? 0))) as unknown as Rgb;
}

export function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
