// The journey projection's first row, written by the API when it has started a journey whose
// capture has not run yet (a 202), so that the caller can poll GET /v1/journeys/{id} at once
// instead of meeting a 404. The workflow's own writes (activities/journeyRecord.ts) replace it:
// its version is below any the workflow writes.
import type { Db } from '../connection';

/** The version of a row the API wrote: not yet the workflow's, so its owner is only the capturer. */
export const STARTED_VERSION = -1;

export interface StartedJourney {
  journeyId: string;
  workflowId: string;
  definition: { key: string; version: number };
  stage: string;
  /** Who captured it: they see it until routing names the owner; null for a public channel (a web form, mail). */
  ownerId: string | null;
  lead: { name: string; email: string; company?: string | undefined };
}

export async function recordStartedJourney(db: Db, journey: StartedJourney): Promise<void> {
  await db('journeys')
    .insert({
      id: journey.journeyId,
      workflow_id: journey.workflowId,
      definition_key: journey.definition.key,
      definition_version: journey.definition.version,
      stage: journey.stage,
      status: 'running',
      stage_entered_at: db.fn.now(),
      owner_id: journey.ownerId,
      lead_name: journey.lead.name,
      lead_email: journey.lead.email,
      company: journey.lead.company ?? null,
      version: STARTED_VERSION,
    })
    .onConflict('id')
    .ignore();
}
