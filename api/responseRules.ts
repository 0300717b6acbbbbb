// Response rules (DESIGN.md section 3, stage `lead`): the ordered list that gives a new lead its team
// and owner, and the auto-response it gets; the first rule whose conditions all hold wins. Ops
// replace the list as a whole; each change is a new version, checked against the version the
// editor saw, and a save identical to the current list changes nothing (a retry is harmless).
import { z } from 'zod';
import type { Db } from '../db/connection';
import { builtInTemplates } from '../db/emailTemplates';
import { currentRuleRows, knownTeams, latestRuleVersion, lockRules, replaceRules, type RuleFields } from '../db/queries/responseRules';
import { number, numberBounds, text, textBounds } from '../machines/schema/bounds';
import { leadInputSchema } from '../machines/index';
import { ApiError } from './errors';
import { idSchema } from './schemas';
import { staleVersion } from './versioning';

export const responseRuleSchema = z.strictObject({
  name: text(textBounds.ruleName).describe('unique in the list; a rule keeps its identity by its name'),
  when: z
    .strictObject({
      country: leadInputSchema.shape.country,
      minCompanySize: number(numberBounds.companySize).optional(),
      maxCompanySize: number(numberBounds.companySize).optional().describe('not below minCompanySize'),
      productInterest: leadInputSchema.shape.productInterest.describe('matched whole, ignoring case'),
    })
    .describe('every condition given must hold; none given matches every lead'),
  team: text(textBounds.team).optional().describe('a team with active members; its reps take turns unless the rule names an owner'),
  ownerId: idSchema.optional().describe('an active user holding sales_rep or sales_manager; gets every lead of the rule'),
  templateKey: text(textBounds.templateKey)
    .optional()
    .describe('the auto_response email template of the rule; else the one for the product interest, else auto_response'),
});
export type ResponseRule = z.infer<typeof responseRuleSchema>;

export const responseRulesSchema = z.array(responseRuleSchema).max(100).describe('in order: the first rule that matches wins');

export interface SavedRules {
  rules: ResponseRule[];
  version: number;
  savedBy: string | null;
  savedAt: Date | null;
}

function toRule(row: RuleFields): ResponseRule {
  const when: ResponseRule['when'] = {};
  if (row.country) when.country = row.country;
  if (row.min_company_size != null) when.minCompanySize = row.min_company_size;
  if (row.max_company_size != null) when.maxCompanySize = row.max_company_size;
  if (row.product_interest) when.productInterest = row.product_interest;
  return {
    name: row.name,
    when,
    ...(row.team ? { team: row.team } : {}),
    ...(row.owner_id ? { ownerId: row.owner_id } : {}),
    ...(row.template_key ? { templateKey: row.template_key } : {}),
  };
}

function toFields(rule: ResponseRule): RuleFields {
  return {
    name: rule.name,
    country: rule.when.country ?? null,
    min_company_size: rule.when.minCompanySize ?? null,
    max_company_size: rule.when.maxCompanySize ?? null,
    // Blank means any, as an absent one does; matched whole against the lead's trimmed interest.
    product_interest: rule.when.productInterest?.trim() || null,
    team: rule.team ?? null,
    owner_id: rule.ownerId ?? null,
    template_key: rule.templateKey ?? null,
  };
}

export async function readRules(db: Db): Promise<SavedRules> {
  const [rows, latest] = await Promise.all([currentRuleRows(db), latestRuleVersion(db)]);
  return { rules: rows.map(toRule), version: latest?.version ?? 0, savedBy: latest?.saved_by ?? null, savedAt: latest?.saved_at ?? null };
}

interface Issue {
  path: string;
  message: string;
}

/** What the shape cannot say: names that repeat, size ranges upside down, and teams, owners and templates that exist. */
async function ruleIssues(db: Db, rules: ResponseRule[]): Promise<Issue[]> {
  const issues: Issue[] = [];
  const teams = await knownTeams(db);
  const ownerIds = [...new Set(rules.flatMap((r) => (r.ownerId ? [r.ownerId] : [])))];
  const owners = ownerIds.length
    ? ((await db('users').whereIn('id', ownerIds).select('id', 'roles', 'active')) as { id: string; roles: string[]; active: boolean }[])
    : [];
  const stored = (await db('email_templates').where({ kind: 'auto_response' }).pluck('key')) as string[];
  const templates = [...new Set([...stored, ...builtInTemplates.filter((t) => t.kind === 'auto_response').map((t) => t.key)])].sort();
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const at = `body.rules.${i}`;
    const name = rule.name.toLowerCase();
    if (seen.has(name)) issues.push({ path: `${at}.name`, message: `"${rule.name}" is already the name of rule ${seen.get(name)}` });
    else seen.set(name, i);
    const { minCompanySize: min, maxCompanySize: max } = rule.when;
    if (min !== undefined && max !== undefined && max < min)
      issues.push({ path: `${at}.when.maxCompanySize`, message: `must not be below minCompanySize (${min})` });
    if (!rule.team && !rule.ownerId) issues.push({ path: `${at}.team`, message: 'name a team or an owner: a rule routes its leads to one' });
    if (rule.team && !teams.includes(rule.team)) {
      issues.push({ path: `${at}.team`, message: `no active user is in team "${rule.team}"; known teams: ${teams.join(', ') || 'none'}` });
    }
    if (rule.ownerId) {
      const owner = owners.find((o) => o.id === rule.ownerId);
      if (!owner) issues.push({ path: `${at}.ownerId`, message: `no user ${rule.ownerId}` });
      else if (!owner.active) issues.push({ path: `${at}.ownerId`, message: `${rule.ownerId} is deactivated` });
      else if (!owner.roles.some((r) => r === 'sales_rep' || r === 'sales_manager')) {
        issues.push({ path: `${at}.ownerId`, message: `${rule.ownerId} holds neither sales_rep nor sales_manager, the roles that own leads` });
      }
    }
    if (rule.templateKey && !templates.includes(rule.templateKey)) {
      issues.push({ path: `${at}.templateKey`, message: `no auto_response template "${rule.templateKey}"; known: ${templates.join(', ')}` });
    }
  });
  return issues;
}

const canonical = (rules: ResponseRule[]) => JSON.stringify(rules.map(toFields));

/**
 * Saves the list as a new version. Identical to the current list: nothing changes, whatever version
 * the caller saw (so a retried save answers as the first did). Else the version the caller saw, when
 * given, must still be current (409 otherwise), and every rule must hold (422 with each field).
 */
export async function saveRules(db: Db, rules: ResponseRule[], expectedVersion: number | undefined, userId: string): Promise<SavedRules> {
  return db.transaction(async (trx) => {
    await lockRules(trx);
    const current = await readRules(trx);
    if (canonical(current.rules) === canonical(rules)) return current;
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw staleVersion('the response rules', expectedVersion, current.version);
    const issues = await ruleIssues(trx, rules);
    if (issues.length > 0) {
      throw new ApiError(422, 'invalid_rules', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
    }
    const fields = rules.map(toFields);
    const stored = fields.map(toRule);
    const saved = await replaceRules(trx, fields, stored, userId);
    return { rules: stored, version: saved.version, savedBy: saved.saved_by, savedAt: saved.saved_at };
  });
}
