// Renders a template and writes the email to the outbox inside the step's transaction; it is sent
// after the commit (activities/support/run.ts) or by deliverOutbox.
import { enqueueEmail, type EmailAttachment } from '../../db/queries/outbox';
import type { StepContext } from '../support/run';
import { loadTemplate, renderEmail, type EmailTemplate } from './templates';

export async function queueEmail(
  ctx: StepContext,
  email: {
    kind: EmailTemplate['kind'];
    templateKeys: (string | null | undefined)[];
    to: string;
    vars: Record<string, string>;
    attachments?: EmailAttachment[];
    listUnsubscribe?: string;
  },
): Promise<string> {
  const template = await loadTemplate(ctx.trx, email.kind, email.templateKeys);
  const rendered = renderEmail(template, email.vars);
  return enqueueEmail(ctx.trx, {
    journeyId: ctx.journeyId,
    step: ctx.step,
    kind: email.kind,
    templateKey: template.key,
    templateVersion: template.version ?? 0,
    to: email.to,
    ...rendered,
    attachments: email.attachments ?? [],
    ...(email.listUnsubscribe ? { listUnsubscribe: email.listUnsubscribe } : {}),
  });
}

/** A date for people: 2026-03-31. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
