/** WCAG 2 contrast and CIEDE2000 colour difference arithmetic for the report's tests: sRGB colours as `#rrggbb` or `rgb(r, g, b)`. */

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

/** CIE L*a*b* (D65) of an sRGB colour. */
export function lab(colour: Rgb | string): readonly [number, number, number] {
  const c = typeof colour === 'string' ? parseColour(colour) : colour;
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as unknown as [number, number, number];
  const xyz = [(0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047, 0.2126729 * r + 0.7151522 * g + 0.072175 * b, (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883];
  const [fx, fy, fz] = xyz.map((t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116)) as unknown as [number, number, number];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** The CIEDE2000 colour difference of two sRGB colours: about 1 is the smallest difference seen between large patches side by side. */
export function deltaE2000(x: Rgb | string, y: Rgb | string): number {
  return deltaE2000Lab(lab(x), lab(y));
}

/** CIEDE2000 of two L*a*b* colours, as Sharma, Wu and Dalal (2005) give it with their test data. */
export function deltaE2000Lab([L1, a1, b1]: readonly [number, number, number], [L2, a2, b2]: readonly [number, number, number]): number {
  const rad = Math.PI / 180;
  const C7 = (((Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2) ** 7);
  const G = 0.5 * (1 - Math.sqrt(C7 / (C7 + 25 ** 7)));
  const [ap1, ap2] = [a1 * (1 + G), a2 * (1 + G)];
  const [Cp1, Cp2] = [Math.hypot(ap1, b1), Math.hypot(ap2, b2)];
  const hue = (b: number, a: number) => (b === 0 && a === 0 ? 0 : (Math.atan2(b, a) / rad + 360) % 360);
  const [hp1, hp2] = [hue(b1, ap1), hue(b2, ap2)];
  const dL = L2 - L1;
  const dC = Cp2 - Cp1;
  let dh = 0;
  if (Cp1 * Cp2 !== 0) dh = Math.abs(hp2 - hp1) <= 180 ? hp2 - hp1 : hp2 - hp1 > 180 ? hp2 - hp1 - 360 : hp2 - hp1 + 360;
  const dH = 2 * Math.sqrt(Cp1 * Cp2) * Math.sin((dh / 2) * rad);
  const Lm = (L1 + L2) / 2;
  const Cm = (Cp1 + Cp2) / 2;
  let hm = hp1 + hp2;
  if (Cp1 * Cp2 !== 0) hm = Math.abs(hp1 - hp2) <= 180 ? (hp1 + hp2) / 2 : hp1 + hp2 < 360 ? (hp1 + hp2 + 360) / 2 : (hp1 + hp2 - 360) / 2;
  const T = 1 - 0.17 * Math.cos((hm - 30) * rad) + 0.24 * Math.cos(2 * hm * rad) + 0.32 * Math.cos((3 * hm + 6) * rad) - 0.2 * Math.cos((4 * hm - 63) * rad);
  const SL = 1 + (0.015 * (Lm - 50) ** 2) / Math.sqrt(20 + (Lm - 50) ** 2);
  const SC = 1 + 0.045 * Cm;
  const SH = 1 + 0.015 * Cm * T;
  const Cm7 = Cm ** 7;
  const RT = -2 * Math.sqrt(Cm7 / (Cm7 + 25 ** 7)) * Math.sin(60 * Math.exp(-(((hm - 275) / 25) ** 2)) * rad);
  return Math.sqrt((dL / SL) ** 2 + (dC / SC) ** 2 + (dH / SH) ** 2 + RT * (dC / SC) * (dH / SH));
}
