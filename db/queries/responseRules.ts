// The response rules as ops edit them: an ordered list replaced as a whole. response_rules holds the
// current list (assignment reads it, activities/assignment.ts); response_rule_versions every saved
// list. A rule's identity is its name: a rule kept under its name keeps its id, so leads already
// routed by it still name it; a rule left out is deactivated, not deleted.
import type { Knex } from 'knex';
import { newId } from '../ids';
import type { ResponseRuleRow } from './leads';

export interface RuleVersionRow {
  version: number;
  saved_by: string;
  saved_at: Date;
}

export async function currentRuleRows(db: Knex): Promise<ResponseRuleRow[]> {
  return (await db('response_rules').where({ active: true }).orderBy('priority').orderBy('name')) as ResponseRuleRow[];
}

export async function latestRuleVersion(db: Knex): Promise<RuleVersionRow | undefined> {
  return (await db('response_rule_versions').orderBy('version', 'desc').first('version', 'saved_by', 'saved_at')) as RuleVersionRow | undefined;
}

/** One save at a time: the version check and the write happen under this lock. */
export async function lockRules(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext('response_rules'))`);
}

export type RuleFields = Omit<ResponseRuleRow, 'id' | 'priority' | 'active'>;

/** Replaces the current list (in order) and records it as a new version. */
export async function replaceRules(trx: Knex.Transaction, rules: RuleFields[], snapshot: unknown, savedBy: string): Promise<RuleVersionRow> {
  const existing = (await trx('response_rules').select('id', 'name')) as { id: string; name: string }[];
  const idOf = new Map(existing.map((r) => [r.name, r.id]));
  await trx('response_rules').update({ active: false });
  for (const [i, rule] of rules.entries()) {
    const row = { ...rule, priority: (i + 1) * 10, active: true };
    const id = idOf.get(rule.name);
    if (id) await trx('response_rules').where({ id }).update(row);
    else await trx('response_rules').insert({ id: newId('rule'), ...row });
  }
  const [version] = (await trx('response_rule_versions')
    .insert({ rules: JSON.stringify(snapshot), saved_by: savedBy })
    .returning(['version', 'saved_by', 'saved_at'])) as RuleVersionRow[];
  return version!;
}

/** Active users per team, for checking the teams a rule names. */
export async function knownTeams(db: Knex): Promise<string[]> {
  const rows = (await db('users').where({ active: true }).whereNotNull('team').distinct('team').orderBy('team')) as { team: string }[];
  return rows.map((r) => r.team);
}
