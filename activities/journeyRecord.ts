// recordJourney: writes the journey projection, its audit trail and the stage transitions reports
// read, so lists, the pipeline, the stuck monitor and reports read PostgreSQL, never Temporal.
// Idempotent: the projection only moves forward (by `version`), and audit entries and transitions
// are unique per journey and sequence number.
import type { Db } from '../db/connection';

export interface JourneyAuditEntry {
  seq: number;
  at: string;
  type: 'started' | 'transition' | 'event' | 'confirmation' | 'activity' | 'parked' | 'timer' | 'sla_breached' | 'migrated';
  stage: string;
  event?: string;
  actorId?: string;
  /** The role the person acted in ('system' for automatic confirmations). */
  actorRole?: string;
  detail: Record<string, unknown>;
}

export interface JourneyRecord {
  journeyId: string;
  workflowId: string;
  definition: { key: string; version: number };
  /** Monotonic per journey: a stale write (replayed or reordered) never overwrites a newer one. */
  version: number;
  stage: string;
  status: string;
  stageEnteredAt: string;
  ownerId: string | null;
  lead: { name: string; email: string; company: string | null };
  amount: { amount: string; currency: string } | null;
  pending: { role: string | null; since: string } | null;
  /** `error` is the raw failure; `errorType` its stable type, from which readers get a safe code and message. */
  parked: { activity: string; error: string; errorType?: string; since: string } | null;
  slaDueAt: string | null;
  /** What stops the checkpoint's approval (a credit hold), shown by the stuck monitor; absent in older records. */
  hold?: { reason: string; since: string } | null;
  audit: JourneyAuditEntry[];
}

/**
 * The stages entered in this record's audit (the start and each transition), for reports. Each
 * carries the amount this record reports: transitions that settle in one step share it.
 */
function stageTransitions(record: JourneyRecord) {
  return record.audit
    .filter((e) => e.type === 'started' || e.type === 'transition')
    .map((e) => ({
      journey_id: record.journeyId,
      seq: e.seq,
      at: e.at,
      from_stage: e.type === 'transition' ? String(e.detail.from) : null,
      to_stage: e.stage,
      amount: record.amount?.amount ?? null,
      currency: record.amount?.currency ?? null,
    }));
}

export function journeyRecordActivities(deps: { db: Db }) {
  return {
    async recordJourney(record: JourneyRecord): Promise<void> {
      const row = {
        id: record.journeyId,
        workflow_id: record.workflowId,
        definition_key: record.definition.key,
        definition_version: record.definition.version,
        stage: record.stage,
        status: record.status,
        stage_entered_at: record.stageEnteredAt,
        owner_id: record.ownerId,
        lead_name: record.lead.name,
        lead_email: record.lead.email,
        company: record.lead.company,
        amount: record.amount?.amount ?? null,
        currency: record.amount?.currency ?? null,
        pending_role: record.pending?.role ?? null,
        pending_since: record.pending?.since ?? null,
        parked_activity: record.parked?.activity ?? null,
        last_error: record.parked?.error ?? null,
        last_error_type: record.parked?.errorType ?? null,
        parked_since: record.parked?.since ?? null,
        sla_due_at: record.slaDueAt,
        hold_reason: record.hold?.reason ?? null,
        hold_since: record.hold?.since ?? null,
        version: record.version,
        updated_at: deps.db.fn.now(),
      };
      await deps.db.transaction(async (trx) => {
        await trx('journeys').insert(row).onConflict('id').merge().where('journeys.version', '<', record.version);
        if (record.audit.length > 0) {
          await trx('journey_audit')
            .insert(
              record.audit.map((e) => ({
                journey_id: record.journeyId,
                seq: e.seq,
                at: e.at,
                type: e.type,
                stage: e.stage,
                event: e.event ?? null,
                actor_id: e.actorId ?? null,
                actor_role: e.actorRole ?? null,
                detail: JSON.stringify(e.detail),
              })),
            )
            .onConflict(['journey_id', 'seq'])
            .ignore();
        }
        const transitions = stageTransitions(record);
        if (transitions.length > 0) await trx('journey_transitions').insert(transitions).onConflict(['journey_id', 'seq']).ignore();
      });
    },
  };
}
