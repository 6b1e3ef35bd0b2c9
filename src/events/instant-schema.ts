/**
 * JSON Schema patterns for instants, saying exactly what heed's parser accepts (`parseDateTime`,
 * `parseDate`), range checks included: month 01–12, the days of each month with Gregorian leap
 * years, hours 00–23, minutes and seconds 00–59, offsets up to ±23:59.
 *
 * The date-time pattern stands alone, without `format: "date-time"`: RFC 3339 disagrees with the
 * parser both ways (it requires seconds and `±HH:MM`, allows lowercase `t`/`z` and second 60), so
 * a validator asserting the format would reject instants heed accepts. A date keeps
 * `format: "date"`: RFC 3339's full-date is exactly what `parseDate` accepts.
 */

/** The year 0000–9999 and day of a real date: 02-29 only in leap years. */
const DATE = String.raw`(?:\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))`;

/** `THH:MM`, optional `:SS` and 1–9 fraction digits, then `Z`, `±HH:MM` or `±HHMM`. */
const TIME_AND_ZONE = String.raw`T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)`;

/** What `parseDateTime` accepts: `at`, and every instant in `data` (`dueBy`, `windowStart`, `expiresAt`). */
export const DATE_TIME_JSON_PATTERN = `^(?:${DATE})${TIME_AND_ZONE}$`;

/** What `parseDate` accepts: the date-only form of `at`. */
export const DATE_JSON_PATTERN = `^(?:${DATE})$`;
