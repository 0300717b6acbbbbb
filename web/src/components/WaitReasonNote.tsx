// Why a journey waits, in business terms, and what happens next and when (api/waitReason.ts).
import { formatDay } from '../format';
import type { WaitReason } from '../types';

export function WaitReasonNote({ reason }: { reason: WaitReason }) {
  if (reason.kind === 'none') return null;
  return (
    <p className={`wait-reason wait-${reason.kind}`} data-testid="wait-reason">
      <strong>{reason.text}</strong>
      {reason.next && (
        <span className="wait-next">
          {' '}
          Next: {reason.next}
          {reason.nextAt && !reason.next.includes(reason.nextAt.slice(0, 10)) ? ` (by ${formatDay(reason.nextAt)})` : ''}.
        </span>
      )}
    </p>
  );
}
