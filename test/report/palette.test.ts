import { describe, expect, it } from 'vitest';
import { builtinPolicies } from '../../src/index.js';
import { legend, styles } from '../../src/report/assets.js';
import { contrast, deltaE2000, deltaE2000Lab, hex, over, parseColour, type Rgb } from './contrast.js';
import { journeys, reportOf } from './helpers.js';

/**
 * Every colour the report draws meaning with, checked against every background it can sit on,
 * read from the style sheet itself (so a pale colour added later fails here): marks need 3:1
 * (WCAG 2.1 SC 1.4.11, graphical objects), text 4.5:1 (SC 1.4.3).
 */
interface Rule {
  readonly selector: string;
  readonly decls: ReadonlyMap<string, string>;
}

function parse(css: string): Rule[] {
  const flat = css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)\s*\}/g, '');
  return [...flat.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({
    selector: (m[1] ?? '').trim(),
    decls: new Map(
      (m[2] ?? '')
        .split(';')
        .map((d) => d.split(':').map((s) => s.trim()))
        .filter((d): d is [string, string] => d.length === 2 && d[0] !== '')
        .map(([p, v]) => [p, v]),
    ),
  }));
}

// The page, the lanes, and the shaded spans (gaps, survey windows) drawn over a lane: what marks
// and text sit on.
const SURFACES = ['body|background', '.lane|fill', '.lane.odd|fill', 'a.finding .gap|fill', 'a.finding .window|fill', 'li:target|background', 'details pre|background'];
// Lines that only help the eye (the tick labels say the time; rules between table rows and
// sections), and white edges that set a mark off from what it overlaps: no meaning of their own.
const DECORATIVE = ['.tick|stroke', '.baseline|stroke', '.fix|stroke', 'a.finding circle:not(.ring)|stroke', '.overview th, .overview td|border-bottom', 'section.customer|border-top'];
const PAINT = ['color', 'fill', 'stroke', 'background', 'border', 'border-left', 'border-bottom', 'border-top'];

interface Use {
  readonly where: string;
  readonly colour: Rgb;
  readonly grounds: readonly Rgb[];
  readonly needs: number;
}

/** A declaration's value as the colour it paints (custom properties resolved), or undefined when it paints none. */
function colours(all: readonly Rule[]): (value: string) => Rgb | undefined {
  const root = all.find((r) => r.selector === ':root')?.decls ?? new Map<string, string>();
  return (value) => {
    const parts = value.replace(/var\((--[\w-]+)\)/g, (_, name: string) => root.get(name) ?? `unknown(${name})`).split(/\s+/);
    const paint = parts.find((part) => !/^(\d|solid|dashed|dotted)/.test(part));
    if (paint === undefined || ['none', 'transparent', 'inherit', 'currentColor'].includes(paint)) return undefined;
    return parseColour(paint);
  };
}

/** Every painted colour of the style sheet that carries meaning, with the backgrounds it must stand out from. */
function uses(css: string, textClasses: ReadonlySet<string>): Use[] {
  const all = parse(css);
  const colourOf = colours(all);
  const rule = (selector: string) => all.find((r) => r.selector === selector) ?? { selector, decls: new Map<string, string>() };
  const colour = (selector: string, property: string): Rgb => {
    const value = colourOf(rule(selector).decls.get(property) ?? 'none');
    if (value === undefined) throw new Error(`${selector} has no ${property} colour`);
    return value;
  };
  const opacity = (r: Rule, property: string) => Number(r.decls.get(`${property}-opacity`) ?? r.decls.get('opacity') ?? 1);
  const page = colour('body', 'background');
  const lanes = [colour('.lane', 'fill'), colour('.lane.odd', 'fill')];
  const shaded = (selector: string) => lanes.map((lane) => over(colour(selector, 'fill'), opacity(rule(selector), 'fill'), lane));
  const plot = [...lanes, ...shaded('a.finding .gap'), ...shaded('a.finding .window')];
  const textGrounds = [page, ...lanes, colour('li:target', 'background'), colour('details pre', 'background')];

  const out: Use[] = [];
  for (const r of all) {
    if (r.selector === ':root') continue;
    const classes = r.selector.split(/[\s,>]+/).flatMap((part) => part.split('.').slice(1).map((cls) => cls.replace(/[:[].*$/, '')));
    const isText = classes.some((cls) => textClasses.has(cls));
    for (const [property, value] of r.decls) {
      const key = `${r.selector}|${property}`;
      if (!PAINT.includes(property) || SURFACES.includes(key) || DECORATIVE.includes(key)) continue;
      const c = colourOf(value);
      if (c === undefined) continue;
      const own = colourOf(r.decls.get('background') ?? 'none');
      if (property === 'background' && r.decls.has('color')) continue; // the box of its own text (the tooltip)
      if (property === 'color' && own !== undefined) {
        out.push({ where: key, colour: c, grounds: [own], needs: 4.5 });
      } else if (property === 'color' || isText) {
        out.push({ where: key, colour: c, grounds: textGrounds, needs: 4.5 });
      } else if (property.startsWith('border')) {
        out.push({ where: key, colour: c, grounds: [page], needs: 3 });
      } else {
        // A fill inside an outline that stands out is the inside of the mark, not what shows it.
        const edge = colourOf(r.decls.get('stroke') ?? 'none');
        if (property === 'fill' && edge !== undefined && opacity(r, 'stroke') === 1 && plot.every((g) => contrast(edge, g) >= 3)) continue;
        const alpha = opacity(r, property);
        out.push({ where: key, colour: alpha < 1 ? over(c, alpha, page) : c, grounds: plot, needs: 3 });
      }
    }
  }
  return out;
}

function failures(found: readonly Use[]): string[] {
  const failing = found
    .flatMap((u) => u.grounds.map((g) => ({ ...u, ground: g, ratio: contrast(u.colour, g) })))
    .filter((u) => u.ratio < u.needs)
    .map((u) => `${u.where} ${hex(u.colour)} on ${hex(u.ground)}: ${u.ratio.toFixed(2)} < ${u.needs}`);
  return [...new Set(failing)];
}

/** What is text in the pictures: the classes of their <text> elements, as the report draws them. */
async function textClassesOfReport(): Promise<Set<string>> {
  const { html } = await reportOf([journeys('mixed.jsonl'), journeys('deer-claim.jsonl')], builtinPolicies);
  return new Set([...(html + legend).matchAll(/<text class="([^"]+)"/g)].flatMap((m) => (m[1] ?? '').split(' ')));
}

describe('the report\'s colours', () => {
  it('draw every meaningful mark at 3:1 and every text at 4.5:1 against every background it can sit on', async () => {
    const textClasses = await textClassesOfReport();
    expect([...textClasses].sort()).toEqual(expect.arrayContaining(['lane-label', 'lane-sublabel', 'tick-label', 'burden-label']));
    const found = uses(styles, textClasses);
    // The check sees the marks' colours: the severities, the contacts, the greys, the text.
    expect(found.length).toBeGreaterThan(30);
    expect(found.map((u) => u.where)).toEqual(expect.arrayContaining(['.contact.inbound|stroke', '.contact.outbound.inattentive|stroke', '.matter.open|fill', 'a.finding .gap|stroke', '[data-severity=warning] > .sev|color']));
    expect(found.find((u) => u.where === '.lane-sublabel, .tick-label, .since, .burden-label|fill')?.needs).toBe(4.5);
    expect(failures(found)).toEqual([]);
  });

  it('catches a pale colour: the automated contacts\' old #a8c7ef without an edge, an amber too light, a pale new mark', async () => {
    const textClasses = await textClassesOfReport();
    const edgeless = styles.replace(/(\.contact\.outbound\.inattentive \{ fill: #a8c7ef;)[^}]*\}/, '$1 }');
    expect(edgeless).not.toBe(styles);
    expect(failures(uses(edgeless, textClasses))).toContain('.contact.outbound.inattentive|fill #a8c7ef on #ffffff: 1.74 < 3');
    expect(failures(uses(styles.replace(/--warn:#[0-9a-f]+/, '--warn:#bf8700'), textClasses))).toContain('[data-severity=warning] > .sev|color #bf8700 on #ffffff: 3.14 < 4.5');
    expect(failures(uses(`${styles}\n.newmark { fill: #b6bcc3; }`, textClasses))).toContain('.newmark|fill #b6bcc3 on #ffffff: 1.91 < 3');
  });

  it('shows a gap and a survey window by an edge that stands out, not only by a faint tint', () => {
    const rules = parse(styles);
    for (const selector of ['a.finding .gap', 'a.finding .window']) {
      const decls = rules.find((r) => r.selector === selector)?.decls ?? new Map<string, string>();
      expect(decls.get('stroke'), selector).toBe(decls.get('fill'));
      expect(decls.get('stroke-opacity') ?? decls.get('opacity'), selector).toBeUndefined();
      // The tint stays light, so the marks drawn over it keep their contrast (checked above).
      expect(Number(decls.get('fill-opacity')), selector).toBeLessThan(0.3);
    }
  });

  it('tells the findings\' colours apart, and the promises\' statuses they speak of: at least 20 apart (CIEDE2000)', () => {
    const found = findingColours(styles);
    // Red (broken, critical), green (kept, the right moment), amber (a warning), grey (open), the kept-late colour.
    expect(found.size).toBeGreaterThanOrEqual(5);
    expect(tooClose(found)).toEqual([]);
  });

  it('catches two finding colours too close: the old kept-late brown, by amber and red', () => {
    const old = styles.replace(/--late:#[0-9a-f]+/, '--late:#a0522d');
    expect(old).not.toBe(styles);
    expect(tooClose(findingColours(old))).toEqual(['#a0522d and #cf222e: 14.5 < 20', '#a0522d and #9a6700: 16.3 < 20']);
  });

  it('measures colour difference as CIEDE2000 does (Sharma, Wu and Dalal\'s test pairs)', () => {
    expect(deltaE2000Lab([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000Lab([50, -1.3802, -84.2814], [50, 0, -82.7485])).toBeCloseTo(1.0, 4);
    expect(deltaE2000Lab([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
    expect(deltaE2000Lab([90.8027, -2.0831, 1.441], [91.1528, -1.6435, 0.0447])).toBeCloseTo(1.4441, 4);
    expect(deltaE2000('#000000', '#ffffff')).toBeCloseTo(100, 1);
  });
});

/**
 * The colours the finding marks are drawn in (a.finding's rules) and the promises' statuses the
 * promise findings speak of (.status-*): each says which finding or status a mark is.
 */
function findingColours(css: string): Map<string, Rgb> {
  const all = parse(css);
  const colourOf = colours(all);
  const found = new Map<string, Rgb>();
  for (const r of all.filter((r) => /a\.finding|\.status-/.test(r.selector))) {
    for (const [property, value] of r.decls) {
      if (!PAINT.includes(property) || DECORATIVE.includes(`${r.selector}|${property}`)) continue;
      const c = colourOf(value);
      if (c !== undefined) found.set(hex(c), c);
    }
  }
  return found;
}

/**
 * Pairs nearer than 20 in CIEDE2000. About 1 is the least difference seen between large patches
 * side by side; a mark a few pixels wide, seen on its own and matched to the legend, needs several
 * times that (Szafir, "Modeling Color Difference for Visualization Design", IEEE VIS 2017, finds
 * the noticeable difference of thin lines and small dots 3-5 times that of large patches, for half
 * of viewers). 20 leaves a margin over that: the kept-late brown this replaced was 14.5 from red
 * and 16.3 from amber, and told apart from amber only by looking hard.
 */
function tooClose(found: ReadonlyMap<string, Rgb>): string[] {
  const list = [...found];
  return list.flatMap(([a, x], i) =>
    list.slice(i + 1).flatMap(([b, y]) => {
      const d = deltaE2000(x, y);
      return d < 20 ? [`${a} and ${b}: ${d.toFixed(1)} < 20`] : [];
    }),
  );
}
