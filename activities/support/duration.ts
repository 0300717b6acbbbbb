// ISO-8601 durations (P30D, P1M, PT30S) added to an instant: years, months, weeks and days on the
// UTC calendar (so P1M from 31 Jan ends on the last day of February), hours to seconds exactly.
const pattern = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function addIsoDuration(from: Date, duration: string): Date {
  const m = pattern.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) throw new Error(`not an ISO-8601 duration: ${duration}`);
  const n = (i: number) => Number(m[i] ?? 0);
  const d = new Date(from.getTime());
  const months = n(1) * 12 + n(2);
  if (months > 0) {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months);
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
  }
  d.setUTCDate(d.getUTCDate() + n(3) * 7 + n(4));
  return new Date(d.getTime() + ((n(5) * 60 + n(6)) * 60 + n(7)) * 1000);
}
