import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../src/index.js';

// Calendar.format and formatDate are plain arithmetic on cached local days (they run for every
// finding message); they must print exactly what date-fns prints for a TZDate in the zone.
describe('calendar: formatting without a time-zone lookup per call', () => {
  const zones = ['UTC', 'America/Denver', 'Europe/London', 'Asia/Kolkata', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Apia'];
  const instant = fc.integer({ min: Date.parse('1950-01-01T00:00:00Z'), max: Date.parse('2100-12-31T00:00:00Z') });

  it('prints what date-fns prints, in any zone, across DST changes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, (timeZone, ms) => {
        const calendar = new Calendar({ timeZone });
        expect(calendar.format(ms)).toBe(format(new TZDate(ms, timeZone), 'EEE d MMM yyyy HH:mm'));
        expect(calendar.formatDate(ms)).toBe(format(new TZDate(ms, timeZone), 'EEE d MMM yyyy'));
      }),
      { numRuns: 2_000 },
    );
  });

  it('prints the wall clock on both sides of a DST change, including the repeated hour', () => {
    const denver = new Calendar({ timeZone: 'America/Denver' });
    expect(denver.format(Date.parse('2017-03-12T08:59:00Z'))).toBe('Sun 12 Mar 2017 01:59');
    expect(denver.format(Date.parse('2017-03-12T09:00:00Z'))).toBe('Sun 12 Mar 2017 03:00');
    expect(denver.format(Date.parse('2017-11-05T07:30:00Z'))).toBe('Sun 5 Nov 2017 01:30');
    expect(denver.format(Date.parse('2017-11-05T08:30:00Z'))).toBe('Sun 5 Nov 2017 01:30');
    expect(denver.format(Date.parse('2017-11-05T09:30:00Z'))).toBe('Sun 5 Nov 2017 02:30');
  });
});
