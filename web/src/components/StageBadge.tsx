import { stageLabel } from '../labels';
import { FINAL_STAGES, LOST_STAGES } from '../vocabulary';

export function StageBadge({ stage }: { stage: string }) {
  const tone = stage === 'closed' || stage === 'paid' ? 'won' : LOST_STAGES.has(stage) ? 'lost' : FINAL_STAGES.has(stage) ? 'final' : 'open';
  return (
    <span className={`badge badge-${tone}`} data-stage={stage}>
      {stageLabel(stage)}
    </span>
  );
}
