// Helpers for the activity suites: a migrated and seeded database, activities over the real SMTP
// sink, a mailbox reader filtered by our own recipients, failure assertions, and a driver that
// walks a journey's records from lead to invoice through the activities themselves.
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, inject } from 'vitest';
import { createActivities } from '../../activities/index';
import { createMailer, type Mailer, type OutgoingEmail } from '../../activities/mail/mailer';
import type { Db } from '../../db/connection';
import { seedDemo } from '../../db/seed/demo';
import type { LeadInput, QuoteLine } from '../../machines/schema/activityCatalogue';
import { createTestDatabase, type TestDatabase } from './db';

export type Activities = ReturnType<typeof createActivities>;

export interface ActivityTestbed extends TestDatabase {
  mailer: Mailer;
  acts: Activities;
  /** Activities over another mailer (e.g. one that fails), same database and clock. */
  with(mailer: Mailer): Activities;
  close(): Promise<void>;
}

/** A fixed business clock so validity and due dates are exact. */
export const NOW = new Date('2026-03-10T09:00:00.000Z');

export async function createActivityTestbed(options: { now?: () => Date } = {}): Promise<ActivityTestbed> {
  const t = await createTestDatabase();
  await seedDemo(t.db);
  const mailer = createMailer(inject('stack').smtpUrl);
  const now = options.now ?? (() => NOW);
  return {
    ...t,
    mailer,
    acts: createActivities({ db: t.db, mailer, now }),
    with: (other) => createActivities({ db: t.db, mailer: other, now }),
    close: async () => {
      mailer.close();
      await t.drop();
    },
  };
}

export function newJourneyId(): string {
  return `j-${randomUUID()}`;
}

/** A recipient no other suite uses (the mailbox is shared by every file of the run). */
export function uniqueEmail(local: string, domain = 'customer.example'): string {
  return `${local}.${randomUUID().slice(0, 8)}@${domain}`;
}

export interface ReceivedMail {
  id: number;
  to: string[];
  subject: string;
  messageId: string | null;
  headers: Record<string, string>;
  raw: string;
}

export async function mailTo(address: string): Promise<ReceivedMail[]> {
  const url = inject('stack').mailboxUrl;
  if (!url) throw new Error('the SMTP sink has no mailbox URL');
  const response = await fetch(`${url}/messages`);
  const all = (await response.json()) as ReceivedMail[];
  return all.filter((m) => m.to.some((to) => to.toLowerCase() === address.toLowerCase()));
}

/** Waits until `count` messages reached the address, then a little longer to catch any extra one. */
export async function expectMailCount(address: string, count: number): Promise<ReceivedMail[]> {
  const deadline = Date.now() + 5_000;
  let mails = await mailTo(address);
  while (mails.length < count && Date.now() < deadline) {
    await sleep(50);
    mails = await mailTo(address);
  }
  await sleep(150);
  mails = await mailTo(address);
  expect(mails, `emails to ${address}`).toHaveLength(count);
  return mails;
}

/** A mailer whose first `failures` sends throw (the SMTP relay down, or a crash before the send). */
export function flakyMailer(inner: Mailer, failures: number): Mailer & { attempts: OutgoingEmail[] } {
  let left = failures;
  const attempts: OutgoingEmail[] = [];
  return {
    attempts,
    async send(email) {
      attempts.push(email);
      if (left > 0) {
        left -= 1;
        throw new Error('SMTP relay unavailable');
      }
      await inner.send(email);
    },
    close() {},
  };
}

export async function expectFailure(promise: Promise<unknown>, type: string, nonRetryable = true): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected an ApplicationFailure of type ${type}`).toBeInstanceOf(ApplicationFailure);
  const failure = error as ApplicationFailure;
  expect(failure.type).toBe(type);
  expect(failure.nonRetryable).toBe(nonRetryable);
  return failure;
}

export async function countRows(db: Db, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const [row] = (await db(table).where(where).count('* as count')) as { count: string }[];
  return Number(row?.count ?? 0);
}

export function leadInput(overrides: Partial<LeadInput> = {}): LeadInput {
  const tag = randomUUID().slice(0, 8);
  return {
    source: 'web_form',
    name: `Ada Lovelace ${tag}`,
    email: uniqueEmail('ada', `co-${tag}.example`),
    company: `Company ${tag}`,
    companySize: 250,
    country: 'DE',
    productInterest: 'cameras',
    message: 'We need cameras for three warehouses, please call us.',
    ...overrides,
  };
}

export interface JourneyRecords {
  journeyId: string;
  email: string;
  leadId: string;
  accountId: string;
  opportunityId: string;
  quoteId?: string;
  orderId?: string;
  invoiceId?: string;
}

/** Walks one journey's records up to the stage asked for, through the activities. */
export async function journeyUpTo(
  acts: Activities,
  stage: 'opportunity' | 'quote' | 'order' | 'invoice',
  options: { lead?: Partial<LeadInput>; lines?: QuoteLine[]; paymentTerms?: string } = {},
): Promise<JourneyRecords> {
  const journeyId = newJourneyId();
  const lead = leadInput(options.lead);
  const call = <I>(step: string, input: I) => ({ journeyId, step, input });
  const captured = await acts.captureLead(call('lead.capture', { lead }));
  await acts.enrichProfile(call('lead.enrich', { leadId: captured.leadId }));
  const assigned = await acts.assignLead(call('lead.assign', { leadId: captured.leadId }));
  const opp = await acts.createFollowUpTask(call('opportunity.task', { leadId: captured.leadId, ownerId: assigned.ownerId }));
  const records: JourneyRecords = { journeyId, email: lead.email, leadId: captured.leadId, accountId: captured.accountId, opportunityId: opp.opportunityId };
  if (stage === 'opportunity') return records;
  const quote = await acts.priceQuote(
    call('quoting.price.1', {
      opportunityId: opp.opportunityId,
      lines: options.lines ?? [{ sku: 'HUB-1', quantity: 2 }],
      validity: 'P30D',
      author: 'usr-dach-1',
    }),
  );
  records.quoteId = quote.quoteId;
  if (stage === 'quote') return records;
  const order = await acts.createOrder(call('ordering.order', { quoteId: quote.quoteId }));
  records.orderId = order.orderId;
  if (stage === 'order') return records;
  const invoice = await acts.issueInvoice(call('invoicing.issue', { orderId: order.orderId, paymentTerms: options.paymentTerms ?? 'P30D' }));
  records.invoiceId = invoice.invoiceId;
  return records;
}
