// The pipeline per stage: a bar per stage with its journey count, exits (lost, cancelled…) last,
// and the table beside it with count and amount, where each stage's button filters the journey list.
// The stage buttons are one stop in the Tab order (arrow keys move between them), so the keyboard
// gets past the funnel in one press.
import { useRef, type KeyboardEvent } from 'react';
import { formatAmounts } from '../format';
import { stageLabel } from '../labels';
import type { Money, Pipeline, PipelineStage } from '../types';
import { LOST_STAGES, STAGES } from '../vocabulary';
import { BarChart } from './BarChart';

const OPEN = '#1d4ed8';
const SELECTED = '#0b2a7a';
const EXIT = '#64748b';

const nonZero = (amounts: Money[]) => amounts.filter((a) => /[1-9]/.test(a.amount));

const placeholderCountsIn = (stage: string): PipelineStage['countsIn'] =>
  LOST_STAGES.has(stage) ? null : ['overpayment_review', 'paid', 'closed'].includes(stage) ? 'won' : 'openPipeline';

// An exit is a stage that ended without a sale: the API counts it in neither total.
const isExit = (s: PipelineStage) => s.countsIn === null;

function rows(pipeline: Pipeline): PipelineStage[] {
  const byStage = new Map(pipeline.stages.map((s) => [s.stage, s]));
  const known = STAGES.map((stage): PipelineStage => byStage.get(stage) ?? { stage, count: 0, amounts: [], countsIn: placeholderCountsIn(stage) });
  const other = pipeline.stages.filter((s) => !(STAGES as readonly string[]).includes(s.stage));
  const all = [...known, ...other];
  return [...all.filter((s) => !isExit(s)), ...all.filter(isExit)];
}

export function FunnelChart({ pipeline, selected, onSelect }: { pipeline: Pipeline; selected: string | null; onSelect: (stage: string | null) => void }) {
  const stages = rows(pipeline);
  const toggle = (stage: string) => onSelect(selected === stage ? null : stage);
  const table = useRef<HTMLTableElement>(null);
  const current = Math.max(
    0,
    stages.findIndex((s) => s.stage === selected),
  );
  const move = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = stages.length - 1;
    const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const buttons = table.current?.querySelectorAll<HTMLButtonElement>('.funnel-row button');
    const target = buttons?.[Math.min(last, Math.max(0, next))];
    if (!target) return;
    buttons?.forEach((b) => (b.tabIndex = -1));
    target.tabIndex = 0;
    target.focus();
  };
  return (
    <div className="chart-with-numbers funnel">
      <BarChart
        counts
        horizontal
        labels={stages.map((s) => stageLabel(s.stage))}
        series={[
          { label: 'Journeys', values: stages.map((s) => s.count), color: stages.map((s) => (s.stage === selected ? SELECTED : isExit(s) ? EXIT : OPEN)) },
        ]}
        description="Bar chart of the journeys per stage, exits last; the numbers are in the table beside it."
        onSelect={(i) => stages[i] && toggle(stages[i].stage)}
      />
      <table className="numbers" ref={table}>
        <caption className="muted small">Journeys and amount per stage, exits last (arrow keys move between stages)</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Journeys</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody>
          {stages.map((s, i) => (
            <tr key={s.stage} className={`funnel-row${isExit(s) ? ' exit' : ''}`} data-stage={s.stage}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={selected === s.stage}
                  tabIndex={i === current ? 0 : -1}
                  onKeyDown={(e) => move(e, i)}
                  onClick={() => toggle(s.stage)}
                >
                  {stageLabel(s.stage)}
                </button>
              </th>
              <td className="num">{s.count}</td>
              <td className="num">{nonZero(s.amounts).length ? formatAmounts(nonZero(s.amounts)) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
