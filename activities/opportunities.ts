// The opportunity stage: the lead's opportunity (created once) and a follow-up task for its owner.
import { findUser } from '../db/queries/users';
import { lockLead, updateLead } from '../db/queries/leads';
import { findOpportunityOfLead, insertOpportunity, insertTask } from '../db/queries/opportunities';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { addDuration } from '../machines/duration';
import { notFound } from './support/failures';
import type { StepContext } from './support/run';

/** A rep should call back within two days. */
const FOLLOW_UP_WITHIN = 'P2D';

export async function createFollowUpTask(input: ActivityInput<'createFollowUpTask'>, ctx: StepContext): Promise<ActivityResult<'createFollowUpTask'>> {
  const { trx } = ctx;
  const lead = await lockLead(trx, input.leadId);
  if (!lead) throw notFound('lead', input.leadId);
  const ownerId = input.ownerId ?? lead.owner_id;
  if (ownerId && !(await findUser(trx, ownerId))) throw notFound('user', ownerId);
  const opportunity =
    (await findOpportunityOfLead(trx, lead.id)) ??
    (await insertOpportunity(trx, {
      lead_id: lead.id,
      journey_id: ctx.journeyId,
      account_id: lead.account_id,
      contact_id: lead.contact_id,
      owner_id: ownerId,
      name: `${lead.company ?? lead.name}${lead.product_interest ? `: ${lead.product_interest}` : ''}`,
    }));
  const taskId = await insertTask(trx, {
    opportunityId: opportunity.id,
    ownerId: ownerId ?? opportunity.owner_id,
    title: `Follow up with ${lead.name}${lead.company ? ` (${lead.company})` : ''}: record needs`,
    dueAt: addDuration(ctx.now, FOLLOW_UP_WITHIN),
  });
  await updateLead(trx, lead.id, { status: 'converted' });
  return { opportunityId: opportunity.id, taskId };
}
