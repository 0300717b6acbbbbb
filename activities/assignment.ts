// Lead routing and the first answer. Response rules are tried by priority; the first whose country,
// company-size range and product interest all match (empty criteria match anything) names a team
// and maybe a fixed owner; otherwise the team's reps take turns (round robin on a locked counter).
import { findUser, teamReps } from '../db/queries/users';
import { activeResponseRules, findResponseRule, lockLead, nextRotation, updateLead, type LeadRow, type ResponseRuleRow } from '../db/queries/leads';
import { autoResponseKeyFor, recentAutoResponse } from '../db/queries/templates';
import type { ActivityInput, ActivityResult } from '../machines/activityCatalogue';
import { queueEmail } from './mail/compose';
import { notFound } from './support/failures';
import type { StepContext } from './support/run';

function ruleMatches(rule: ResponseRuleRow, lead: Pick<LeadRow, 'country' | 'company_size' | 'product_interest'>): boolean {
  if (rule.country && rule.country !== lead.country) return false;
  if (rule.min_company_size != null && (lead.company_size == null || lead.company_size < rule.min_company_size)) return false;
  if (rule.max_company_size != null && (lead.company_size == null || lead.company_size > rule.max_company_size)) return false;
  if (rule.product_interest && rule.product_interest.toLowerCase() !== lead.product_interest?.trim().toLowerCase()) return false;
  return true;
}

export async function assignLead(input: ActivityInput<'assignLead'>, ctx: StepContext): Promise<ActivityResult<'assignLead'>> {
  const { trx } = ctx;
  const lead = await lockLead(trx, input.leadId);
  if (!lead) throw notFound('lead', input.leadId);
  const rule = (await activeResponseRules(trx)).find((r) => ruleMatches(r, lead));
  if (!rule) return { ownerId: null, team: null, rule: null };

  let ownerId: string | null = null;
  const fixed = rule.owner_id ? await findUser(trx, rule.owner_id) : undefined;
  if (fixed?.active) ownerId = fixed.id;
  else if (rule.team) {
    const reps = await teamReps(trx, rule.team);
    if (reps.length > 0) ownerId = reps[(await nextRotation(trx, rule.team) - 1) % reps.length]?.id ?? null;
  }
  await updateLead(trx, lead.id, { owner_id: ownerId, team: rule.team, rule_id: rule.id, assigned_at: ctx.now, status: 'assigned' });
  return { ownerId, team: rule.team, rule: rule.name };
}

/** The thank-you email: the rule's template, else the one for the product interest, else the default. */
export async function sendAutoResponse(input: ActivityInput<'sendAutoResponse'>, ctx: StepContext): Promise<ActivityResult<'sendAutoResponse'>> {
  const { trx } = ctx;
  const lead = await lockLead(trx, input.leadId);
  if (!lead) throw notFound('lead', input.leadId);
  // A repeated inquiry (merged duplicate) answered within the day gets no second thank-you.
  if (lead.duplicate_of && (await recentAutoResponse(trx, lead.email, new Date(ctx.now.getTime() - 86_400_000)))) return { emailId: null };
  const rule = lead.rule_id ? await findResponseRule(trx, lead.rule_id) : undefined;
  const owner = lead.owner_id ? await findUser(trx, lead.owner_id) : undefined;
  const byInterest = lead.product_interest ? await autoResponseKeyFor(trx, lead.product_interest) : undefined;
  const emailId = await queueEmail(ctx, {
    kind: 'auto_response',
    templateKeys: [rule?.template_key, byInterest, 'auto_response'],
    to: lead.email,
    vars: {
      name: lead.name,
      company: lead.company ?? '',
      productInterest: lead.product_interest ?? '',
      interestText: lead.product_interest ? ` in ${lead.product_interest}` : '',
      ownerName: owner?.name ?? 'Our sales team',
      ownerEmail: owner?.email ?? 'sales@lead-to-cash.local',
    },
  });
  return { emailId };
}
