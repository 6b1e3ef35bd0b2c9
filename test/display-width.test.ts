import { describe, expect, it } from 'vitest';
import { displayWidth, sliceGraphemes, splitAtWidth, truncateToWidth } from '../src/display-width.js';

/** A lone surrogate: half of an emoji (or of any character outside the BMP). */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('displayWidth', () => {
  it.each([
    ['', 0, 'nothing'],
    ['inattention.gap', 15, 'ASCII: one column each'],
    ['ünïcødé', 7, 'precomposed Latin letters'],
    ['u\u0308', 1, 'a letter with a combining mark'],
    ['洗濯機', 6, 'CJK ideographs: two columns each'],
    ['ｈｅｅｄ', 8, 'fullwidth Latin'],
    ['한국어', 6, 'Hangul syllables'],
    ['カタカナ', 8, 'katakana'],
    ['ｶﾀｶﾅ', 4, 'halfwidth katakana: one column each'],
    ['、。', 4, 'CJK punctuation'],
    ['𠀀', 2, 'a CJK ideograph outside the BMP (a surrogate pair)'],
    ['🐢', 2, 'an emoji (a surrogate pair)'],
    ['👍🏽', 2, 'an emoji with a skin tone'],
    ['👩‍👩‍👧', 2, 'a ZWJ family'],
    ['🇩🇪', 2, 'a flag (two regional indicators)'],
    ['❤️', 2, 'a text symbol asked to show as emoji (VS16)'],
    ['…─', 2, 'ambiguous width: one column, as outside a CJK locale'],
    ['a\u200bb', 2, 'a zero-width space'],
  ])('%j is %i columns: %s', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('splitAtWidth', () => {
  it('cuts between graphemes, never more than the width', () => {
    expect(splitAtWidth('洗濯機が動かない', 5)).toEqual(['洗濯', '機が動かない']);
    expect(splitAtWidth('a🐢b', 2)).toEqual(['a', '🐢b']);
    expect(splitAtWidth('u\u0308x', 1)).toEqual(['u\u0308', 'x']);
    expect(splitAtWidth('abc', 2)).toEqual(['ab', 'c']);
  });

  it('takes one grapheme wider than the width only when asked to, so a line cutter moves on', () => {
    expect(splitAtWidth('洗濯', 1)).toEqual(['', '洗濯']);
    expect(splitAtWidth('洗濯', 1, true)).toEqual(['洗', '濯']);
  });
});

describe('truncateToWidth', () => {
  it.each([
    ['customer-1', 20, 'customer-1'],
    ['customer-123456789', 10, 'customer-…'],
    ['洗濯機が動かない', 7, '洗濯機…'],
    ['洗濯機が動かない', 8, '洗濯機…'],
    ['a🐢🐢🐢', 4, 'a🐢…'],
    ['👩‍👩‍👧👩‍👩‍👧', 3, '👩‍👩‍👧…'],
    ['anything', 1, ''],
  ])('%j in %i columns is %j', (text, width, expected) => {
    const cut = truncateToWidth(text, width);
    expect(cut).toBe(expected);
    expect(displayWidth(cut)).toBeLessThanOrEqual(width);
    expect(cut).not.toMatch(loneSurrogate);
  });
});

describe('sliceGraphemes', () => {
  it('keeps at most that many code units, never half a surrogate pair or a letter without its mark', () => {
    expect(sliceGraphemes('abc', 5)).toBe('abc');
    expect(sliceGraphemes('abcdef', 3)).toBe('abc');
    expect(sliceGraphemes('a🐢', 2)).toBe('a');
    expect(sliceGraphemes('au\u0308', 2)).toBe('a');
  });
});
