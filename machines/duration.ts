// ISO-8601 durations (`P7D`, `P1M`, `PT30S`), parsed here and nowhere else. Years, months, weeks and
// days count on the UTC calendar (P1M from 31 January ends on the last day of February), hours to
// seconds exactly, so a quote's validity date and its expiry timer agree. Pure and deterministic:
// the workflow bundle loads it. What a definition may say is bounded in schema/bounds.ts; this parser
// stays lenient for running journeys.
export const isoDurationPattern = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

interface DurationParts {
  months: number;
  days: number;
  milliseconds: number;
}

/** Throws a RangeError on a malformed duration. */
function parseDuration(duration: string): DurationParts {
  const match = isoDurationPattern.exec(duration);
  if (!match) throw new RangeError(`not an ISO-8601 duration: "${duration}"`);
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { months: years * 12 + months, days: weeks * 7 + days, milliseconds: Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000) };
}

/** `from` plus `duration` (minus it when `sign` is -1), a month short of days ending on its last day. */
export function addDuration(from: Date | number, duration: string, sign: 1 | -1 = 1): Date {
  const { months, days, milliseconds } = parseDuration(duration);
  const d = new Date(typeof from === 'number' ? from : from.getTime());
  if (months > 0) {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + sign * months);
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
  }
  d.setUTCDate(d.getUTCDate() + sign * days);
  return new Date(d.getTime() + sign * milliseconds);
}

/**
 * Milliseconds in a duration counted from `from` (by default the Unix epoch, for retry intervals
 * and comparisons, where no instant anchors it). Throws a RangeError on a malformed duration.
 */
export function durationToMs(duration: string, from: Date | number = 0): number {
  const start = typeof from === 'number' ? from : from.getTime();
  return addDuration(start, duration).getTime() - start;
}
