// A strict parser for the three HTTP-date forms of RFC 9110 §5.6.7 (Date.parse is far too lenient).

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

const SHORT_DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

// Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = new RegExp(`^${SHORT_DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
// Sun Nov  6 08:49:37 1994
const ASCTIME = new RegExp(`^${SHORT_DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i');

/** Whether `token` is a day name, short or long; used to rejoin a date split at its comma. */
export function isDayName(token: string): boolean {
  return new RegExp(`^(?:${LONG_DAY}|${SHORT_DAY})$`, 'i').test(token.trim());
}

/**
 * Parses an HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms every recipient must
 * accept) to epoch milliseconds. Returns `undefined` for anything else, including impossible
 * calendar dates such as 31 Feb. Runs of spaces are folded; day and month names are case-insensitive.
 *
 * @param referenceMs - "now" in epoch ms, to place RFC 850's two-digit year: a year more than 50 years
 * ahead of it means the most recent past year with those digits (RFC 9110 §5.6.7).
 */
export function parseHttpDate(value: string, referenceMs: number = Date.now()): number | undefined {
  const text = value.trim();
  if (text.length > 64) return undefined;
  let m = IMF_FIXDATE.exec(text.replace(/ {2,}/g, ' '));
  if (m) return build(m[3]!, m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  m = RFC_850.exec(text.replace(/ {2,}/g, ' '));
  if (m) {
    const refYear = new Date(referenceMs).getUTCFullYear();
    let year = Math.floor(refYear / 100) * 100 + Number(m[3]);
    if (year > refYear + 50) year -= 100;
    return build(String(year), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  }
  m = ASCTIME.exec(text);
  if (m) return build(m[6]!, m[1]!, m[2]!.trim(), m[3]!, m[4]!, m[5]!);
  return undefined;
}

function build(
  yearText: string,
  monthText: string,
  dayText: string,
  hourText: string,
  minuteText: string,
  secondText: string,
): number | undefined {
  const year = Number(yearText);
  const month = MONTHS[monthText.toLowerCase()];
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  // A leap second (60) is folded into the last second of its minute.
  const second = Math.min(Number(secondText), 59);
  if (month === undefined || day < 1 || hour > 23 || minute > 59 || Number(secondText) > 60) {
    return undefined;
  }
  const ms = Date.UTC(year, month, day, hour, minute, second);
  // Date.UTC rolls 31 Feb over into March; refuse such dates instead.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return ms;
}
