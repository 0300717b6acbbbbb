// How long stuck journeys have been stuck: one bar per age bucket, stacked by reason.
import type { StuckReason, StuckRow } from '../types';
import { STUCK_REASONS } from '../vocabulary';

const BUCKETS: { label: string; upTo: number }[] = [
  { label: '< 1 h', upTo: 3_600 },
  { label: '1–4 h', upTo: 4 * 3_600 },
  { label: '4–24 h', upTo: 86_400 },
  { label: '1–3 d', upTo: 3 * 86_400 },
  { label: '3–7 d', upTo: 7 * 86_400 },
  { label: '> 7 d', upTo: Number.POSITIVE_INFINITY },
];

const WIDTH = 560;
const HEIGHT = 170;
const LEFT = 30;
const BOTTOM = 26;
const TOP = 22;

export function AgingChart({ rows }: { rows: StuckRow[] }) {
  const counts = BUCKETS.map((b, i) => {
    const from = i === 0 ? -1 : (BUCKETS[i - 1]?.upTo ?? 0);
    const inBucket = rows.filter((r) => r.ageSeconds > from && r.ageSeconds <= b.upTo);
    return { ...b, total: inBucket.length, byReason: STUCK_REASONS.map((r) => ({ reason: r.value, count: inBucket.filter((x) => x.reason === r.value).length })) };
  });
  const max = Math.max(1, ...counts.map((c) => c.total));
  const slot = (WIDTH - LEFT) / BUCKETS.length;
  const scale = (HEIGHT - TOP - BOTTOM) / max;
  const summary = counts.map((c) => `${c.label}: ${c.total}`).join(', ');
  return (
    <figure className="aging">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Stuck journeys by age. ${summary}`}>
        {[...new Set([0, Math.ceil(max / 2), max])].map((tick) => (
          <g key={tick}>
            <line x1={LEFT} x2={WIDTH} y1={HEIGHT - BOTTOM - tick * scale} y2={HEIGHT - BOTTOM - tick * scale} className="grid-line" />
            <text x={LEFT - 6} y={HEIGHT - BOTTOM - tick * scale} textAnchor="end" dominantBaseline="central" className="axis">{tick}</text>
          </g>
        ))}
        {counts.map((c, i) => {
          let y = HEIGHT - BOTTOM;
          const x = LEFT + i * slot + slot * 0.2;
          return (
            <g key={c.label}>
              {c.byReason.filter((r) => r.count > 0).map((r) => {
                const h = r.count * scale;
                y -= h;
                return (
                  <rect key={r.reason} x={x} y={y} width={slot * 0.6} height={h} className={`reason-${r.reason as StuckReason}`}>
                    <title>{`${c.label}: ${r.count} ${r.reason}`}</title>
                  </rect>
                );
              })}
              {c.total > 0 && <text x={x + slot * 0.3} y={y - 4} textAnchor="middle" className="axis">{c.total}</text>}
              <text x={x + slot * 0.3} y={HEIGHT - 8} textAnchor="middle" className="axis">{c.label}</text>
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {STUCK_REASONS.map((r) => (
          <span key={r.value}><span className={`swatch reason-${r.value}`} aria-hidden="true" />{r.label}</span>
        ))}
      </figcaption>
    </figure>
  );
}
