// The pipeline as a funnel: one centred bar per stage, its width the share of journeys there,
// with count and amount; exits (lost, cancelled…) below. A bar filters the journey list.
import { formatAmounts, humanize, plural } from '../format';
import type { Money, Pipeline, PipelineStage } from '../types';
import { LOST_STAGES, STAGES } from '../vocabulary';

const ROW = 30;
const WIDTH = 760;
const LABEL = 150;
const VALUE = 190;
const BAR = WIDTH - LABEL - VALUE;

const nonZero = (amounts: Money[]) => amounts.filter((a) => /[1-9]/.test(a.amount));

const placeholderCountsIn = (stage: string): PipelineStage['countsIn'] =>
  LOST_STAGES.has(stage) ? null : ['overpayment_review', 'paid', 'closed'].includes(stage) ? 'won' : 'openPipeline';

// An exit is a stage that ended without a sale: the API counts it in neither total.
const isExit = (s: PipelineStage) => s.countsIn === null;

function rows(pipeline: Pipeline): { open: PipelineStage[]; exits: PipelineStage[] } {
  const byStage = new Map(pipeline.stages.map((s) => [s.stage, s]));
  const known = STAGES.map((stage): PipelineStage => byStage.get(stage) ?? { stage, count: 0, amounts: [], countsIn: placeholderCountsIn(stage) });
  const other = pipeline.stages.filter((s) => !(STAGES as readonly string[]).includes(s.stage));
  const all = [...known, ...other];
  return { open: all.filter((s) => !isExit(s)), exits: all.filter(isExit) };
}

export function FunnelChart({ pipeline, selected, onSelect }: { pipeline: Pipeline; selected: string | null; onSelect: (stage: string | null) => void }) {
  const { open, exits } = rows(pipeline);
  const max = Math.max(1, ...pipeline.stages.map((s) => s.count));
  const list = [...open, null, ...exits];
  const height = list.length * ROW + 8;
  let y = 4;
  return (
    <svg className="funnel" viewBox={`0 0 ${WIDTH} ${height}`} role="group" aria-label={`Pipeline funnel: ${plural(pipeline.total.count, 'journey')}`}>
      {list.map((s, i) => {
        const top = y;
        y += ROW;
        if (!s) return <line key={`gap-${i}`} x1={LABEL} x2={LABEL + BAR} y1={top + ROW / 2} y2={top + ROW / 2} className="funnel-divider" />;
        const width = s.count === 0 ? 2 : Math.max(6, (s.count / max) * BAR);
        const isSelected = selected === s.stage;
        const label = `${humanize(s.stage)}: ${plural(s.count, 'journey')}, ${formatAmounts(s.amounts)}`;
        const toggle = () => onSelect(isSelected ? null : s.stage);
        return (
          <g
            key={s.stage}
            className={`funnel-row${isSelected ? ' selected' : ''}${isExit(s) ? ' exit' : ''}${s.count === 0 ? ' empty' : ''}`}
            role="button"
            tabIndex={0}
            aria-pressed={isSelected}
            aria-label={label}
            data-stage={s.stage}
            onClick={toggle}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                toggle();
              }
            }}
          >
            <title>{label}</title>
            <rect x={0} y={top} width={WIDTH} height={ROW} className="funnel-hit" />
            <text x={LABEL - 10} y={top + ROW / 2} className="funnel-label" textAnchor="end" dominantBaseline="central">
              {humanize(s.stage)}
            </text>
            <rect x={LABEL + (BAR - width) / 2} y={top + 4} width={width} height={ROW - 8} rx={4} className="funnel-bar" />
            <text x={LABEL + BAR + 12} y={top + ROW / 2} className="funnel-value" dominantBaseline="central">
              <tspan className="funnel-count">{s.count}</tspan>
              <tspan dx={8} className="funnel-amount">{nonZero(s.amounts).length ? formatAmounts(nonZero(s.amounts)) : ''}</tspan>
            </text>
          </g>
        );
      })}
    </svg>
  );
}
