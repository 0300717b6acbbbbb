// The owner's email when an SLA of their journey is breached (DESIGN.md section 7.2), written to the
// outbox in the frame every step runs in: once per (journey, step), so a retry sends no second email.
import { z } from 'zod';
import { findUser } from '../db/queries/users';
import { queueEmail } from './mail/compose';
import { defineStep, type ActivityDeps, type StepContext } from './support/run';

const slaNoticeSchemas = {
  input: z.object({
    ownerId: z.string().min(1).nullable(),
    stage: z.string().min(1),
    scope: z.enum(['stage', 'checkpoint']),
    sla: z.string().min(1),
    since: z.string().min(1),
    deadline: z.string().min(1),
    /** The checkpoint's escalateTo role, now allowed to decide it. */
    escalateTo: z.string().min(1).nullable(),
    lead: z.object({ name: z.string(), company: z.string().nullable() }),
  }),
  result: z.object({ emailId: z.string().nullable() }),
};
export type SlaNotice = z.infer<typeof slaNoticeSchemas.input>;

/** 2026-03-31 14:05 UTC */
const minute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

async function notifySlaBreach(input: SlaNotice, ctx: StepContext): Promise<{ emailId: string | null }> {
  // Nobody to tell: no owner yet, or one who has left (the timeline still records the breach).
  const owner = input.ownerId ? await findUser(ctx.trx, input.ownerId) : undefined;
  if (!owner?.active) return { emailId: null };
  const emailId = await queueEmail(ctx, {
    kind: 'sla_breach',
    templateKeys: ['sla_breach'],
    to: owner.email,
    vars: {
      ownerName: owner.name,
      leadName: input.lead.name,
      companyText: input.lead.company ? ` (${input.lead.company})` : '',
      what: input.scope === 'checkpoint' ? 'checkpoint in stage' : 'stage',
      stage: input.stage,
      sla: input.sla,
      since: minute(input.since),
      deadline: minute(input.deadline),
      escalationText: input.escalateTo ? ` The role ${input.escalateTo} may now decide its checkpoint too.` : '',
      journeyId: ctx.journeyId,
    },
  });
  return { emailId };
}

export function slaActivities(deps: ActivityDeps) {
  return { notifySlaBreach: defineStep(deps, 'notifySlaBreach', slaNoticeSchemas, notifySlaBreach) };
}
