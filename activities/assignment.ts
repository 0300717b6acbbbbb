// Lead routing and the first answer. Response rules are tried by priority; the first whose country,
// company-size range and product interest all match (empty criteria match anything) names a team
// and maybe a fixed owner; otherwise the team's reps take turns (round robin on a locked counter).
// A duplicate joins its original: it takes the original's owner and team. The original is routed
// once, under its row lock, by whichever of its journeys gets there first, so twins arriving at
// the same moment cannot be routed to two reps.
import { findUser, teamReps } from '../db/queries/users';
import {
  activeResponseRules,
  findLead,
  findResponseRule,
  journeyOwner,
  lockLead,
  nextRotation,
  updateLead,
  type LeadRow,
  type ResponseRuleRow,
} from '../db/queries/leads';
import { autoResponseKeyFor } from '../db/queries/templates';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { enrichLead } from './leads';
import { queueEmail } from './mail/compose';
import { notFound } from './support/failures';
import type { StepContext } from './support/run';

type Assignment = ActivityResult<'assignLead'>;

function ruleMatches(rule: ResponseRuleRow, lead: Pick<LeadRow, 'country' | 'company_size' | 'product_interest'>): boolean {
  if (rule.country && rule.country !== lead.country) return false;
  if (rule.min_company_size != null && (lead.company_size == null || lead.company_size < rule.min_company_size)) return false;
  if (rule.max_company_size != null && (lead.company_size == null || lead.company_size > rule.max_company_size)) return false;
  if (rule.product_interest && rule.product_interest.toLowerCase() !== lead.product_interest?.trim().toLowerCase()) return false;
  return true;
}

/** Routes a locked lead by the response rules, once: an assignment already made stands. */
async function routeLead(lead: LeadRow, ctx: StepContext): Promise<Assignment> {
  const { trx } = ctx;
  if (lead.assigned_at) {
    const rule = lead.rule_id ? await findResponseRule(trx, lead.rule_id) : undefined;
    return { ownerId: lead.owner_id, team: lead.team, rule: rule?.name ?? null };
  }
  const rule = (await activeResponseRules(trx)).find((r) => ruleMatches(r, lead));
  if (!rule) {
    await updateLead(trx, lead.id, { assigned_at: ctx.now });
    return { ownerId: null, team: null, rule: null };
  }
  let ownerId: string | null = null;
  const fixed = rule.owner_id ? await findUser(trx, rule.owner_id) : undefined;
  if (fixed?.active) ownerId = fixed.id;
  else if (rule.team) {
    const reps = await teamReps(trx, rule.team);
    if (reps.length > 0) ownerId = reps[((await nextRotation(trx, rule.team)) - 1) % reps.length]?.id ?? null;
  }
  await updateLead(trx, lead.id, { owner_id: ownerId, team: rule.team, rule_id: rule.id, assigned_at: ctx.now, status: 'assigned' });
  return { ownerId, team: rule.team, rule: rule.name };
}

/** A duplicate takes its original's owner (its journey's current one, after any reassignment) and team. */
async function joinOriginal(duplicate: LeadRow, originalId: string, ctx: StepContext): Promise<Assignment> {
  const { trx } = ctx;
  let original = await lockLead(trx, originalId);
  if (!original) throw notFound('lead', originalId);
  // Routed here before its own journey got there: enriched first, as its own journey would.
  if (!original.assigned_at && !original.enriched_at && duplicate.enriched_at) {
    await enrichLead(trx, original, ctx.now);
    original = (await findLead(trx, originalId)) ?? original;
  }
  const routed = await routeLead(original, ctx);
  const ruleId = (await findLead(trx, originalId))?.rule_id ?? null;
  const ownerId = (await journeyOwner(trx, original.journey_id)) ?? routed.ownerId;
  // An owner who has left gets no new work: then the duplicate is routed by the rules itself.
  if (ownerId && !(await findUser(trx, ownerId))?.active) return routeLead(duplicate, ctx);
  await updateLead(trx, duplicate.id, { owner_id: ownerId, team: routed.team, rule_id: ruleId, assigned_at: ctx.now, status: 'assigned' });
  return { ...routed, ownerId };
}

export async function assignLead(input: ActivityInput<'assignLead'>, ctx: StepContext): Promise<ActivityResult<'assignLead'>> {
  const lead = await lockLead(ctx.trx, input.leadId);
  if (!lead) throw notFound('lead', input.leadId);
  return lead.duplicate_of ? joinOriginal(lead, lead.duplicate_of, ctx) : routeLead(lead, ctx);
}

/** The thank-you email: the rule's template, else the one for the product interest, else the default. */
export async function sendAutoResponse(input: ActivityInput<'sendAutoResponse'>, ctx: StepContext): Promise<ActivityResult<'sendAutoResponse'>> {
  const { trx } = ctx;
  const lead = await lockLead(trx, input.leadId);
  if (!lead) throw notFound('lead', input.leadId);
  // Capture decided it: a repeat inquiry within the day of an answered one gets no second thank-you.
  if (!lead.auto_response_at) return { emailId: null };
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
