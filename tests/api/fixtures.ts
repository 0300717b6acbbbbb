// Journey projection rows written directly, for the routes that read only the projection (list,
// pipeline, stuck monitor, metrics, scoping) without running workflows.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection';

export interface JourneyFixture {
  id?: string;
  stage?: string;
  status?: string;
  ownerId?: string | null;
  amount?: string | null;
  currency?: string | null;
  pendingRole?: string | null;
  pendingSince?: Date | null;
  parkedActivity?: string | null;
  lastError?: string | null;
  parkedSince?: Date | null;
  slaDueAt?: Date | null;
  stageEnteredAt?: Date;
  createdAt?: Date;
  leadName?: string;
  company?: string;
}

export async function insertJourney(db: Db, f: JourneyFixture = {}): Promise<string> {
  const id = f.id ?? `jrn_fx_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await db('journeys').insert({
    id,
    workflow_id: `journey-${id}`,
    definition_key: 'lead-to-cash',
    definition_version: 1,
    stage: f.stage ?? 'opportunity',
    status: f.status ?? 'awaiting_confirmation',
    stage_entered_at: f.stageEnteredAt ?? new Date(),
    owner_id: f.ownerId === undefined ? 'usr-dach-1' : f.ownerId,
    lead_name: f.leadName ?? `Lead ${id}`,
    lead_email: `${id}@example.com`,
    company: f.company ?? `Company ${id}`,
    amount: f.amount ?? null,
    currency: f.amount ? (f.currency ?? 'EUR') : null,
    pending_role: f.pendingRole ?? null,
    pending_since: f.pendingSince ?? null,
    parked_activity: f.parkedActivity ?? null,
    last_error: f.lastError ?? null,
    parked_since: f.parkedSince ?? null,
    sla_due_at: f.slaDueAt ?? null,
    version: 1,
    ...(f.createdAt ? { created_at: f.createdAt } : {}),
  });
  return id;
}

export const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
