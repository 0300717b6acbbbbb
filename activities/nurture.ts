// The nurture cadence's email (the nurture stage's repeating timer): a friendly reminder from the
// owner with an unsubscribe link. An address that unsubscribed gets nothing more, from this
// journey or a later one; the step then records that it sent nothing.
import { findLead } from '../db/queries/leads';
import { isUnsubscribed, unsubscribeToken } from '../db/queries/unsubscribes';
import { findUser } from '../db/queries/users';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { queueEmail } from './mail/compose';
import { notFound } from './support/failures';
import type { StepContext } from './support/run';

export function sendNurtureEmail(publicUrl: string) {
  return async (input: ActivityInput<'sendNurtureEmail'>, ctx: StepContext): Promise<ActivityResult<'sendNurtureEmail'>> => {
    const { trx } = ctx;
    const lead = await findLead(trx, input.leadId);
    if (!lead) throw notFound('lead', input.leadId);
    if (await isUnsubscribed(trx, lead.email)) return { emailId: null, optedOut: true };
    const owner = lead.owner_id ? await findUser(trx, lead.owner_id) : undefined;
    const token = await unsubscribeToken(trx, ctx.journeyId, lead.email);
    const unsubscribeUrl = `${publicUrl.replace(/\/+$/, '')}/v1/unsubscribe/${token}`;
    const emailId = await queueEmail(ctx, {
      kind: 'nurture',
      templateKeys: ['nurture'],
      to: lead.email,
      vars: {
        name: lead.name,
        topic: lead.product_interest ?? 'your project',
        ownerName: owner?.name ?? 'Our sales team',
        ownerEmail: owner?.email ?? 'sales@lead-to-cash.local',
        unsubscribeUrl,
      },
      listUnsubscribe: unsubscribeUrl,
    });
    return { emailId, optedOut: false };
  };
}
