// How long stuck journeys have been stuck: one bar per age bucket, stacked by reason, with the
// counts in the table beside it.
import type { StuckRow } from '../types';
import { STUCK_REASONS } from '../vocabulary';
import { BarChart } from './BarChart';
import { NumbersTable } from './NumbersTable';

const BUCKETS: { label: string; upTo: number }[] = [
  { label: '< 1 h', upTo: 3_600 },
  { label: '1–4 h', upTo: 4 * 3_600 },
  { label: '4–24 h', upTo: 86_400 },
  { label: '1–3 d', upTo: 3 * 86_400 },
  { label: '3–7 d', upTo: 7 * 86_400 },
  { label: '> 7 d', upTo: Number.POSITIVE_INFINITY },
];

/** One colour per reason, each with at least 3:1 contrast on white (WCAG 1.4.11). */
const COLORS: Record<string, string> = {
  activity_failing: '#b91c1c',
  awaiting_confirmation: '#b45309',
  sla_breached: '#1d4ed8',
  payment_overdue: '#7e22ce',
};

export function AgingChart({ rows }: { rows: StuckRow[] }) {
  const counts = BUCKETS.map((b, i) => {
    const from = i === 0 ? -1 : (BUCKETS[i - 1]?.upTo ?? 0);
    const inBucket = rows.filter((r) => r.ageSeconds > from && r.ageSeconds <= b.upTo);
    return { ...b, total: inBucket.length, byReason: STUCK_REASONS.map((r) => inBucket.filter((x) => x.reason === r.value).length) };
  });
  return (
    <div className="chart-with-numbers aging">
      <BarChart
        counts
        stacked
        labels={BUCKETS.map((b) => b.label)}
        series={STUCK_REASONS.map((r, i) => ({ label: r.label, values: counts.map((c) => c.byReason[i] ?? 0), color: COLORS[r.value] ?? '#475569' }))}
        description="Bar chart of stuck journeys by how long they have been stuck, split by why; the numbers are in the table beside it."
      />
      <NumbersTable
        caption={`${rows.length} stuck, by age and reason`}
        head={['Stuck for', ...STUCK_REASONS.map((r) => r.label), 'All']}
        rows={counts.map((c) => [c.label, ...c.byReason, c.total])}
      />
    </div>
  );
}
