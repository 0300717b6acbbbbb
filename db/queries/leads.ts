// Leads with their merges and scores, and the response rules that route them to a team or owner.
import type { Knex } from 'knex';
import { newId } from '../ids';
import { STARTED_VERSION } from './journeys';

export interface LeadRow {
  id: string;
  journey_id: string;
  account_id: string;
  contact_id: string;
  source: string;
  channel: string;
  name: string;
  email: string;
  phone: string | null;
  company: string | null;
  company_size: number | null;
  industry: string | null;
  country: string | null;
  product_interest: string | null;
  message: string | null;
  duplicate_of: string | null;
  owner_id: string | null;
  team: string | null;
  rule_id: string | null;
  score: number | null;
  grade: string | null;
  status: string;
  enriched_at: Date | null;
  assigned_at: Date | null;
  /** When this lead was granted its person's auto-response (decided at capture); null: a repeat within the day. */
  auto_response_at: Date | null;
  created_at: Date;
}

export interface ResponseRuleRow {
  id: string;
  name: string;
  priority: number;
  country: string | null;
  min_company_size: number | null;
  max_company_size: number | null;
  product_interest: string | null;
  team: string | null;
  owner_id: string | null;
  template_key: string | null;
  active: boolean;
}

export type NewLead = Omit<
  LeadRow,
  'id' | 'owner_id' | 'team' | 'rule_id' | 'score' | 'grade' | 'status' | 'enriched_at' | 'assigned_at' | 'created_at' | 'industry'
>;

/**
 * One capture at a time decides what is a duplicate and which inquiry is answered: two simultaneous
 * twins cannot both be "new", nor both get the auto-response. (Global rather than keyed by email:
 * a lead also matches by phone and by name at a company, so no single key names the person.)
 */
export async function lockLeadCapture(trx: Knex.Transaction): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?)', [7_200_001]);
}

export async function findLead(db: Knex, id: string): Promise<LeadRow | undefined> {
  return (await db('leads').where({ id }).first()) as LeadRow | undefined;
}

export async function lockLead(trx: Knex.Transaction, id: string): Promise<LeadRow | undefined> {
  return (await trx('leads').where({ id }).forUpdate().first()) as LeadRow | undefined;
}

export async function insertLead(db: Knex, lead: NewLead): Promise<LeadRow> {
  const [row] = (await db('leads')
    .insert({ id: newId('lead'), ...lead })
    .returning('*')) as LeadRow[];
  if (!row) throw new Error('lead insert returned no row');
  return row;
}

export async function updateLead(db: Knex, id: string, patch: Partial<Omit<LeadRow, 'id'>>): Promise<void> {
  await db('leads').where({ id }).update(patch);
}

/** The original lead of a contact: the first one that is not itself a duplicate. */
export async function originalLeadOfContact(db: Knex, contactId: string): Promise<LeadRow | undefined> {
  return (await db('leads').where({ contact_id: contactId }).whereNull('duplicate_of').orderBy('created_at').orderBy('id').first()) as LeadRow | undefined;
}

/** Was any inquiry of this person granted the auto-response since then? */
export async function autoResponseGrantedSince(db: Knex, contactId: string, since: Date): Promise<boolean> {
  return Boolean(await db('leads').where({ contact_id: contactId }).where('auto_response_at', '>', since).first('id'));
}

/** The journey's current owner (after any reassignment), once the workflow has recorded one. */
export async function journeyOwner(db: Knex, journeyId: string): Promise<string | null> {
  const row = (await db('journeys').where({ id: journeyId }).where('version', '>', STARTED_VERSION).first('owner_id')) as
    { owner_id: string | null } | undefined;
  return row?.owner_id ?? null;
}

export async function countLeadsOfContact(db: Knex, contactId: string): Promise<number> {
  const [row] = (await db('leads').where({ contact_id: contactId }).count('* as count')) as { count: string }[];
  return Number(row?.count ?? 0);
}

export async function recordMerge(db: Knex, merge: { leadId: string; mergedInto: string; matchedOn: string; detail: Record<string, unknown> }): Promise<void> {
  await db('lead_merges').insert({ lead_id: merge.leadId, merged_into: merge.mergedInto, matched_on: merge.matchedOn, detail: JSON.stringify(merge.detail) });
}

export async function insertScore(
  db: Knex,
  score: {
    leadId: string;
    score: number;
    fit: number;
    engagement: number;
    grade: string;
    mqlThreshold: number;
    sqlThreshold: number;
    factors: Record<string, number>;
  },
): Promise<string> {
  const id = newId('score');
  await db('lead_scores').insert({
    id,
    lead_id: score.leadId,
    score: score.score,
    fit: score.fit,
    engagement: score.engagement,
    grade: score.grade,
    mql_threshold: score.mqlThreshold,
    sql_threshold: score.sqlThreshold,
    factors: JSON.stringify(score.factors),
  });
  return id;
}

export async function activeResponseRules(db: Knex): Promise<ResponseRuleRow[]> {
  return (await db('response_rules').where({ active: true }).orderBy('priority').orderBy('name')) as ResponseRuleRow[];
}

export async function findResponseRule(db: Knex, id: string): Promise<ResponseRuleRow | undefined> {
  return (await db('response_rules').where({ id }).first()) as ResponseRuleRow | undefined;
}

/** Next position in a team's rotation; the counter row's lock makes concurrent assignments take turns. */
export async function nextRotation(trx: Knex.Transaction, team: string): Promise<number> {
  const result = await trx.raw<{ rows: { counter: string }[] }>(
    `insert into team_rotation (team, counter) values (?, 1)
     on conflict (team) do update set counter = team_rotation.counter + 1
     returning counter`,
    [team],
  );
  return Number(result.rows[0]?.counter ?? 1);
}
