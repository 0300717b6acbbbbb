// What a bulk action on stuck journeys did: refused ones with the reason, accepted ones once they
// settled (gone on, still failing, or still working), each in a sentence.
import { humanize } from '../format';
import type { Outcome } from '../journeyOutcome';
import type { StuckActionAnswer } from '../types';

export function StuckOutcome({
  answer,
  names,
  settled,
  userName,
}: {
  answer: StuckActionAnswer;
  /** The lead's name of each journey. */
  names: Map<string, string>;
  settled: Map<string, Outcome> | null;
  userName: (id: string) => string;
}) {
  const action = humanize(answer.action);
  const outcomes = settled ? [...settled.values()] : [];
  const wentOn = outcomes.filter((o) => o.ok).length;
  const stillFailing = outcomes.length - wentOn;
  const summary = !settled
    ? `${action}: waiting for ${answer.succeeded} ${answer.succeeded === 1 ? 'journey' : 'journeys'} to settle…`
    : answer.action === 'reassign'
      ? `${action}: ${answer.succeeded} reassigned, ${answer.failed} refused`
      : `${action}: ${wentOn} went on, ${stillFailing} still failing, ${answer.failed} refused`;
  return (
    <div className={`notice ${stillFailing + answer.failed > 0 ? 'notice-warn' : 'notice-info'}`} role="status" aria-label="Results">
      <strong>{summary}</strong>
      <ul className="results">
        {answer.results.map((r) => {
          const after = settled?.get(r.journeyId);
          const ok = r.ok && (after?.ok ?? true);
          const text = !r.ok
            ? `refused — ${r.error?.message ?? `error ${r.status}`}`
            : r.ownerId
              ? `now owned by ${userName(r.ownerId)}`
              : (after?.text ?? 'accepted; waiting for it to settle…');
          return (
            <li key={r.journeyId} className={ok ? 'ok' : 'failed'} data-result={r.journeyId}>
              {ok ? '✓' : '✗'} {names.get(r.journeyId) ?? r.journeyId}: {text}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
