// ISO-8601 durations as process definitions write them (`P7D`, `PT30S`). The machine never adds
// them to a clock: it hands them to the workflow, which converts them with durationToMs. What a
// definition may say is bounded in bounds.ts; this parser stays lenient for running journeys.
const isoDurationPattern =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Milliseconds in a duration, counting a year as 365 days and a month as 30 (durations in
 * definitions are days and shorter in practice). Throws a RangeError on a malformed duration.
 */
export function durationToMs(duration: string): number {
  const match = isoDurationPattern.exec(duration);
  if (!match) throw new RangeError(`not an ISO-8601 duration: "${duration}"`);
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  const day = 86_400_000;
  return (
    (years ?? 0) * 365 * day +
    (months ?? 0) * 30 * day +
    (weeks ?? 0) * 7 * day +
    (days ?? 0) * day +
    (hours ?? 0) * 3_600_000 +
    (minutes ?? 0) * 60_000 +
    (seconds ?? 0) * 1000
  );
}
