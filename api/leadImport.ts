// What makes a CSV import safe to upload again: each row's journey id is derived from the row's
// content, so the same row (in this file or another) names the same journey, which is started
// once. The lead and its duplicateOf are the ones capture recorded for that journey.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/connection';
import type { LeadInput } from '../machines/index';

/** How long an import waits for the captures of its rows before answering without their leads. */
const CAPTURE_WAIT_MS = 5_000;
const POLL_MS = 100;

/** The journey of an imported row: the same lead fields (and source) give the same id. */
export function importedJourneyId(lead: LeadInput): string {
  const fields = Object.entries(lead)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const digest = createHash('sha256')
    .update(JSON.stringify(['lead-import', fields]))
    .digest('hex');
  return `jrn_${digest.slice(0, 32)}`;
}

/** Of these journeys, the ones already started (by an earlier import, or a row above in this one). */
export async function knownJourneys(db: Db, journeyIds: string[]): Promise<Set<string>> {
  if (journeyIds.length === 0) return new Set();
  const rows = (await db('journeys').whereIn('id', journeyIds).select('id')) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

export interface CapturedLead {
  leadId: string;
  duplicateOf: string | null;
}

/** Each journey's lead as capture recorded it, waiting briefly for captures still running. */
export async function capturedLeads(db: Db, journeyIds: string[], waitMs = CAPTURE_WAIT_MS): Promise<Map<string, CapturedLead>> {
  const found = new Map<string, CapturedLead>();
  const deadline = Date.now() + waitMs;
  for (;;) {
    const missing = journeyIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      const rows = (await db('leads').whereIn('journey_id', missing).orderBy('created_at').select('id', 'journey_id', 'duplicate_of')) as {
        id: string;
        journey_id: string;
        duplicate_of: string | null;
      }[];
      for (const row of rows) if (!found.has(row.journey_id)) found.set(row.journey_id, { leadId: row.id, duplicateOf: row.duplicate_of });
    }
    if (found.size === new Set(journeyIds).size || Date.now() >= deadline) return found;
    await sleep(POLL_MS);
  }
}
