import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/errors.js';
import { Calendar } from '../../src/time/calendar.js';
import { calendarConfigSchema, parseCalendarConfig } from '../../src/time/calendar-config.js';

const WEEKDAY_HOURS = ['09:00', '17:00'];

/** The ConfigError thrown for `config`, as { path, rule, detail } rows. */
function problems(config: unknown): { path: string; rule: string; detail: string }[] {
  try {
    parseCalendarConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).errors.map(({ path, rule, detail }) => ({ path, rule, detail }));
  }
  throw new Error('expected a ConfigError');
}

describe('calendar defaults', () => {
  it('are UTC, mon–fri 09:00–17:00, weekends closed, no holidays', () => {
    expect(new Calendar().toJSON()).toEqual({
      timeZone: 'UTC',
      businessHours: {
        mon: WEEKDAY_HOURS,
        tue: WEEKDAY_HOURS,
        wed: WEEKDAY_HOURS,
        thu: WEEKDAY_HOURS,
        fri: WEEKDAY_HOURS,
        sat: null,
        sun: null,
      },
      holidays: [],
    });
  });

  it('keep the default hours of days not given', () => {
    const calendar = new Calendar({ businessHours: { sat: ['10:00', '14:00'], fri: null } });
    expect(calendar.businessHours).toEqual({
      mon: WEEKDAY_HOURS,
      tue: WEEKDAY_HOURS,
      wed: WEEKDAY_HOURS,
      thu: WEEKDAY_HOURS,
      fri: null,
      sat: ['10:00', '14:00'],
      sun: null,
    });
  });

  it('accept 24:00 as a closing time', () => {
    expect(new Calendar({ businessHours: { sun: ['00:00', '24:00'] } }).businessHours.sun).toEqual(['00:00', '24:00']);
  });

  it('round-trip: the resolved config is itself a valid config', () => {
    const config = new Calendar({ timeZone: 'America/Denver', holidays: ['2017-11-23'] }).toJSON();
    expect(new Calendar(config).toJSON()).toEqual(config);
  });
});

describe('calendar config errors', () => {
  it('name an unknown weekday key', () => {
    expect(problems({ businessHours: { monday: ['09:00', '17:00'] } })).toEqual([
      {
        path: 'calendar.businessHours.monday',
        rule: 'unknown-field',
        detail: 'unknown field (calendar.businessHours has mon, tue, wed, thu, fri, sat and sun). Did you mean "mon"?',
      },
    ]);
  });

  it('name an unknown calendar option', () => {
    expect(problems({ timezone: 'UTC' })).toEqual([
      { path: 'calendar.timezone', rule: 'unknown-field', detail: 'unknown field (calendar has timeZone, businessHours and holidays). Did you mean "timeZone"?' },
    ]);
  });

  it('name an unknown time zone', () => {
    expect(problems({ timeZone: 'Mars/Base' })).toEqual([
      { path: 'calendar.timeZone', rule: 'time-zone', detail: 'unknown time zone "Mars/Base"' },
    ]);
  });

  it('name a closing time that is not after the opening time', () => {
    expect(problems({ businessHours: { mon: ['09:00', '08:00'], tue: ['09:00', '09:00'] } })).toEqual([
      { path: 'calendar.businessHours.mon', rule: 'hours-order', detail: 'end 08:00 is not after start 09:00' },
      { path: 'calendar.businessHours.tue', rule: 'hours-order', detail: 'end 09:00 is not after start 09:00' },
    ]);
  });

  it.each([['9:00'], ['24:30'], ['25:00'], ['09:60']])('name a malformed time %j', (time) => {
    expect(problems({ businessHours: { wed: [time, '17:00'] } })).toEqual([
      { path: 'calendar.businessHours.wed[0]', rule: 'invalid-format', detail: 'expected a time HH:MM between 00:00 and 24:00' },
    ]);
  });

  it('name hours that are not a pair', () => {
    const [problem] = problems({ businessHours: { thu: ['09:00'] } });
    expect(problem?.path).toBe('calendar.businessHours.thu');
    expect(problem?.detail).toBe('expected ["HH:MM", "HH:MM"] (opening, closing) or null for closed');
  });

  it('name a holiday that is not a real date, by its index', () => {
    expect(problems({ holidays: ['2017-11-23', '2017-02-30', '23/11/2017'] })).toEqual([
      { path: 'calendar.holidays[1]', rule: 'real-date', detail: '2017-02-30 is not a real date' },
      { path: 'calendar.holidays[2]', rule: 'invalid-format', detail: 'expected a date YYYY-MM-DD' },
    ]);
  });

  it('write an array position as a configuration file does (holidays[1], not holidays.1), so one mistake reads one way', () => {
    const calendar = { holidays: ['2017-11-23', '2017-02-30'], businessHours: { mon: ['9', '17:00'] } };
    const fromCode = problems(calendar).map((p) => p.path);
    let fromFile: string[] = [];
    try {
      resolveConfig({ calendar }, []);
    } catch (error) {
      fromFile = (error as ConfigError).errors.map((e) => e.path);
    }
    expect(fromCode).toEqual(['calendar.businessHours.mon[0]', 'calendar.holidays[1]']);
    expect(fromFile).toEqual(fromCode);
    expect(() => new Calendar(calendar as never)).toThrow('calendar.holidays[1]: 2017-02-30 is not a real date');
  });

  it('refuse a week with no business hours at all (business time could never pass)', () => {
    const closed = { mon: null, tue: null, wed: null, thu: null, fri: null };
    expect(problems({ businessHours: closed })).toEqual([
      { path: 'calendar.businessHours', rule: 'no-business-hours', detail: 'every day is closed; at least one day needs business hours' },
    ]);
  });

  it('tell a present value of the wrong type from a missing one, naming what was given', () => {
    expect(problems({ timeZone: 5, holidays: 'x', businessHours: { mon: 'nine to five' } })).toEqual([
      { path: 'calendar.timeZone', rule: 'invalid-type', detail: 'expected string, got number 5' },
      { path: 'calendar.businessHours.mon', rule: 'invalid-type', detail: 'expected ["HH:MM", "HH:MM"] (opening, closing) or null for closed' },
      { path: 'calendar.holidays', rule: 'invalid-type', detail: 'expected array, got string "x"' },
    ]);
  });

  it('report every problem at once, and the Calendar constructor throws the same ConfigError', () => {
    const config = { timeZone: 'Nowhere', holidays: ['2017-13-01'] };
    expect(problems(config).map((p) => p.path)).toEqual(['calendar.timeZone', 'calendar.holidays[0]']);
    expect(() => new Calendar(config)).toThrow(ConfigError);
  });

  it('the schema alone can be embedded in a larger config schema', () => {
    expect(calendarConfigSchema.parse({ timeZone: 'Europe/Berlin' }).timeZone).toBe('Europe/Berlin');
  });
});
