// Why a journey waits, in business terms: which policy, which shortage, which document, and what
// happens next and when. Pure: computed from the journey's definition and the facts its records hold
// (api/waitFacts.ts loads them), so the journey page and every queue row say the same sentence.
import { z } from 'zod';
import { addDuration, type Guard, type ProcessDefinition } from '../machines/index';
import { stageLabelOf } from '../machines/labels';
import { timestamp } from './schemas';

export const WAIT_KINDS = ['approval', 'confirmation', 'shortage', 'customer', 'payment', 'collections', 'parked', 'credit_hold', 'none'] as const;

export const waitReasonSchema = z
  .strictObject({
    kind: z.enum(WAIT_KINDS),
    text: z.string().describe('why the journey waits, e.g. "25% discount > 15% limit on quote QUO-2026-000001"'),
    next: z.string().nullable().describe('what happens next'),
    nextAt: timestamp.nullable().describe('when: the SLA deadline, the timer or the due date'),
  })
  .meta({ id: 'WaitReason' });
export type WaitReason = z.infer<typeof waitReasonSchema>;

export interface WaitFacts {
  stage: string;
  status: string;
  pendingRole: string | null;
  slaDueAt: Date | null;
  parked: { activity: string; message: string } | null;
  holdReason: string | null;
  quote: { number: string; maxDiscountPct: number; validUntil: Date } | null;
  shortages: { sku: string; quantity: number; purchaseOrder: string }[];
  invoice: { number: string; dueAt: Date; amountDue: string; currency: string } | null;
  lastReminderLevel: number | null;
}

const ROLE_NAMES: Record<string, string> = {
  sales_rep: 'the sales rep',
  sales_manager: 'a sales manager',
  warehouse: 'the warehouse',
  finance: 'finance',
  ops: 'operations',
  admin: 'an administrator',
};
const roleName = (role: string | null) => (role ? (ROLE_NAMES[role] ?? role.replaceAll('_', ' ')) : 'someone');
const day = (d: Date) => d.toISOString().slice(0, 10);
const pct = (n: number) => `${Number(n.toFixed(2))}%`;
/** An activity's name as words: issueInvoice → "issue invoice". */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** The `{field, op, policy}` tests of a guard, flattened. */
function policyTests(guard: Guard | boolean | undefined): { field: string; op: string; policy: string }[] {
  if (!guard || typeof guard === 'boolean') return [];
  if ('all' in guard) return guard.all.flatMap(policyTests);
  if ('any' in guard) return guard.any.flatMap(policyTests);
  if ('not' in guard) return policyTests(guard.not);
  return guard.policy ? [{ field: guard.field, op: guard.op, policy: guard.policy }] : [];
}

/** The policy a pending checkpoint was not auto-confirmed by, as "25% discount > 15% limit". */
function policyBreach(definition: ProcessDefinition, facts: WaitFacts): string | null {
  const checkpoint = definition.stages[facts.stage]?.checkpoint;
  const policies = definition.policies as Record<string, unknown>;
  for (const test of policyTests(checkpoint?.auto as Guard | boolean | undefined)) {
    const limit = policies[test.policy];
    if (test.field === 'quote.maxDiscountPct' && facts.quote && typeof limit === 'number') {
      return `${pct(facts.quote.maxDiscountPct)} discount > ${pct(limit)} limit on quote ${facts.quote.number}`;
    }
    if (typeof limit === 'number' || typeof limit === 'string') return `the policy ${test.policy} (${String(limit)}) was not met`;
  }
  return null;
}

/** The next dunning step after the last reminder sent, with its date, from the definition's policy. */
function nextDunning(definition: ProcessDefinition, facts: WaitFacts): { text: string; at: Date } | null {
  if (!facts.invoice) return null;
  const levels = [...definition.policies.dunning].sort((a, b) => a.level - b.level);
  const next = levels.find((l) => l.level > (facts.lastReminderLevel ?? 0));
  if (!next) return null;
  const final = next === levels[levels.length - 1];
  const fee = next.fee ? ` with a ${next.fee.amount} ${next.fee.currency} fee` : '';
  return { text: final ? `final notice${fee}` : `reminder ${next.level}${fee}`, at: addDuration(facts.invoice.dueAt, next.offset) };
}

export function explainWait(definition: ProcessDefinition, facts: WaitFacts, now: Date): WaitReason {
  const reason = (kind: WaitReason['kind'], text: string, next: string | null = null, at: Date | null = null): WaitReason => ({
    kind,
    text,
    next,
    nextAt: at ? at.toISOString() : null,
  });
  if (facts.status === 'parked' && facts.parked) {
    return reason('parked', `The step "${words(facts.parked.activity)}" failed: ${facts.parked.message}`, 'finance or operations retry it, skip it or cancel');
  }
  if (facts.holdReason) return reason('credit_hold', facts.holdReason, 'finance releases the hold or the order is cancelled');
  if (facts.shortages.length > 0) {
    const short = facts.shortages.map((s) => `${s.quantity} × ${s.sku} short, ${s.purchaseOrder} raised`).join('; ');
    return reason('shortage', short, 'continues by itself when the goods are received');
  }
  const invoice = facts.invoice;
  if (facts.stage === 'collections' && invoice) {
    return reason(
      'collections',
      `Invoice ${invoice.number}: ${invoice.amountDue} ${invoice.currency} unpaid after the final notice`,
      'finance records a payment or writes it off',
    );
  }
  if (facts.stage === 'awaiting_payment' && invoice) {
    const late = Math.floor((now.getTime() - invoice.dueAt.getTime()) / 86_400_000);
    const when = late > 0 ? `${late} ${late === 1 ? 'day' : 'days'} overdue` : `due ${day(invoice.dueAt)}`;
    const dunning = nextDunning(definition, facts);
    return reason(
      'payment',
      `Invoice ${invoice.number}: ${invoice.amountDue} ${invoice.currency} ${when}`,
      dunning ? `${dunning.text} on ${day(dunning.at)} unless paid` : 'finance follows up',
      dunning?.at ?? invoice.dueAt,
    );
  }
  if (facts.status === 'waiting' && facts.quote && facts.stage === 'quote_sent') {
    return reason(
      'customer',
      `Waiting for the customer to accept quote ${facts.quote.number}`,
      `the quote expires on ${day(facts.quote.validUntil)}`,
      facts.quote.validUntil,
    );
  }
  if (facts.status === 'awaiting_confirmation' || facts.status === 'waiting') {
    const breach = policyBreach(definition, facts);
    const who = roleName(facts.pendingRole);
    const due = facts.slaDueAt ? ` by ${day(facts.slaDueAt)}` : '';
    if (breach) return reason('approval', breach, `${who} approves or rejects${due}`, facts.slaDueAt);
    return reason('confirmation', `Waiting for ${who} to confirm “${stageLabelOf(definition, facts.stage)}”`, `${who} decides${due}`, facts.slaDueAt);
  }
  return reason('none', 'Not waiting on anyone');
}
