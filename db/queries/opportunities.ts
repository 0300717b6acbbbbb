// Opportunities (one per lead) and the follow-up tasks of their owners.
import type { Knex } from 'knex';
import { newId } from '../ids';

export interface OpportunityRow {
  id: string;
  lead_id: string;
  journey_id: string;
  account_id: string;
  contact_id: string;
  owner_id: string | null;
  name: string;
  status: string;
  created_at: Date;
}

export async function findOpportunity(db: Knex, id: string): Promise<OpportunityRow | undefined> {
  return (await db('opportunities').where({ id }).first()) as OpportunityRow | undefined;
}

/** Locks the opportunity so quote versions of it are numbered one at a time. */
export async function lockOpportunity(trx: Knex.Transaction, id: string): Promise<OpportunityRow | undefined> {
  return (await trx('opportunities').where({ id }).forUpdate().first()) as OpportunityRow | undefined;
}

export async function findOpportunityOfLead(db: Knex, leadId: string): Promise<OpportunityRow | undefined> {
  return (await db('opportunities').where({ lead_id: leadId }).first()) as OpportunityRow | undefined;
}

export async function insertOpportunity(db: Knex, opp: Omit<OpportunityRow, 'id' | 'status' | 'created_at'>): Promise<OpportunityRow> {
  const [row] = (await db('opportunities')
    .insert({ id: newId('opp'), ...opp })
    .returning('*')) as OpportunityRow[];
  if (!row) throw new Error('opportunity insert returned no row');
  return row;
}

export async function setOpportunityStatus(db: Knex, id: string, status: string): Promise<void> {
  await db('opportunities').where({ id }).update({ status });
}

export async function insertTask(db: Knex, task: { opportunityId: string; ownerId: string | null; title: string; dueAt: Date }): Promise<string> {
  const id = newId('task');
  await db('follow_up_tasks').insert({ id, opportunity_id: task.opportunityId, owner_id: task.ownerId, title: task.title, due_at: task.dueAt });
  return id;
}
