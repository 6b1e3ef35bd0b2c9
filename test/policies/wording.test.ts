import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/index.js';
import { dueText, listText, matterName, quoted, spanText, thePromiseBy, timesText } from '../../src/policies/wording.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('wording', () => {
  it('spans read in the unit a person would use', () => {
    expect(spanText(59 * MINUTE)).toBe('59 minutes');
    expect(spanText(HOUR)).toBe('1 hour');
    expect(spanText(47 * HOUR)).toBe('47 hours');
    expect(spanText(2 * DAY)).toBe('2 days');
    expect(spanText(20 * DAY + 23 * HOUR)).toBe('20 days');
    expect(spanText(21 * DAY)).toBe('3 weeks');
    expect(spanText(74 * DAY)).toBe('10 weeks 4 days');
    expect(spanText(-5)).toBe('0 minutes');
  });

  it('quotes, shortened at a word boundary', () => {
    expect(quoted('  Tow the   car ')).toBe('"Tow the car"');
    expect(quoted('one two three four five', 12)).toBe('"one two…"');
    expect(matterName('m1', null)).toBe('matter m1');
    expect(matterName('m1', 'Dishwasher')).toBe('"Dishwasher"');
  });

  it('shortens a quote between characters, never through an emoji or an accent', () => {
    expect(quoted(`a${'🐢'.repeat(60)}`)).toBe(`"a${'🐢'.repeat(49)}…"`);
    expect(quoted(`${'x'.repeat(99)}u\u0308 and more`)).toBe(`"${'x'.repeat(99)}…"`);
  });

  it('names who made a promise, lists and counts', () => {
    expect(thePromiseBy('body-shop')).toBe('The promise by body-shop');
    expect(thePromiseBy(null)).toBe("The company's promise");
    expect(listText(['a'])).toBe('a');
    expect(listText(['a', 'b', 'c'], 'or')).toBe('a, b or c');
    expect([1, 2, 3].map(timesText)).toEqual(['once', 'twice', '3 times']);
  });

  it('states due times in the calendar zone, with a window when there is one', () => {
    const calendar = new Calendar({ timeZone: 'America/Denver' });
    expect(dueText(calendar, Date.parse('2017-11-22T00:00:00Z'), null)).toBe('by Tue 21 Nov 2017 17:00');
    expect(dueText(calendar, Date.parse('2017-11-21T19:00:00Z'), Date.parse('2017-11-21T15:00:00Z'))).toBe('between Tue 21 Nov 2017 08:00 and Tue 21 Nov 2017 12:00');
  });
});
