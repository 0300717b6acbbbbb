// The audit trail of a journey: what changed between two snapshots, and who made it change.
// Automatic steps are recorded too, with the system as their actor.
import type { JourneyAuditEntry } from '../activities/journeyRecord';
import type { JourneyEvent } from '../machines/events';
import type { SlaBreach } from '../machines/sla';

interface Confirmation {
  stage: string;
  decision: string;
  actor: { id: string };
  at: string;
  note?: string;
  auto: boolean;
}

interface Observed {
  value: unknown;
  context: { confirmations?: Confirmation[]; status?: string; parked?: unknown; slaBreaches?: SlaBreach[] };
}

type Entry = Omit<JourneyAuditEntry, 'seq'>;

/**
 * `actorRole` is the role the event's person acted in (null for the system), stored with every
 * entry they caused, so the audit says who confirmed in which capacity after the run is gone.
 */
export function auditEntries(before: Observed, after: Observed, event: JourneyEvent, actorRole: string | null = null): Entry[] {
  if (before.value === after.value && before.context === after.context) return []; // ignored event
  const e = event as {
    type: string;
    at: string;
    actor?: { id: string };
    note?: string;
    step?: string;
    activity?: string;
    timer?: string;
    error?: unknown;
    data?: unknown;
  };
  const from = String(before.value);
  const to = String(after.value);
  const entries: Entry[] = [];
  const actorId = e.actor?.id;
  const person = actorId && actorRole ? { actorRole } : {};

  if (e.type === 'ACTIVITY_DONE') {
    entries.push({ at: e.at, type: 'activity', stage: from, event: e.type, detail: { activity: e.activity, step: e.step } });
  } else if (e.type === 'ACTIVITY_FAILED') {
    entries.push({ at: e.at, type: 'parked', stage: from, event: e.type, detail: { activity: e.activity, step: e.step, error: e.error } });
  } else if (e.type === 'TIMER_FIRED') {
    entries.push({ at: e.at, type: 'timer', stage: from, event: e.type, detail: { timer: e.timer } });
  } else if (e.type === 'SLA_BREACHED') {
    const breach = after.context.slaBreaches?.at(-1);
    if (breach) {
      const { scope, sla, since, deadline } = breach;
      entries.push({ at: e.at, type: 'sla_breached', stage: breach.stage, event: e.type, detail: { scope, sla, since, deadline } });
    }
  }

  const previous = before.context.confirmations?.length ?? 0;
  for (const c of (after.context.confirmations ?? []).slice(previous)) {
    // An automatic confirmation is the system's, whatever event triggered it.
    const role = c.auto ? { actorRole: 'system' } : c.actor.id === actorId ? person : {};
    entries.push({
      at: c.at,
      type: 'confirmation',
      stage: c.stage,
      event: e.type,
      actorId: c.actor.id,
      ...role,
      detail: { decision: c.decision, auto: c.auto, ...(c.note ? { note: c.note } : {}) },
    });
  }

  if (from !== to) {
    entries.push({
      at: e.at,
      type: 'transition',
      stage: to,
      event: e.type,
      ...(actorId ? { actorId } : {}),
      ...person,
      detail: { from, to, ...(e.note ? { note: e.note } : {}) },
    });
  } else if (actorId && !entries.some((x) => x.type === 'confirmation')) {
    // An accepted event that kept the stage (PICKED, a part-payment, RETRY): still on the record.
    entries.push({
      at: e.at,
      type: 'event',
      stage: to,
      event: e.type,
      actorId,
      ...person,
      detail: { ...(e.data !== undefined ? { data: e.data } : {}), ...(e.note ? { note: e.note } : {}) },
    });
  }
  return entries;
}
