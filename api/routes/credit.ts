// Customer credit for finance: which accounts hold credit, one account's credit with its uses and
// credit notes, and refunds. Credit comes from over-payments (activities/payments.ts) and is used
// by the account's next invoice (activities/accountCredit.ts) or refunded here.
import { z } from 'zod';
import { accountCredits, accountsWithCredit, type CreditNoteRow } from '../../db/queries/credits';
import { formatCents, money, toCents } from '../../db/money';
import { positiveAmountPattern, text, textBounds } from '../../machines/schema/bounds';
import { userOf } from '../auth';
import { refundCredit } from '../creditRefunds';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import { creditNoteIdOf } from '../idempotency';
import { errors, idSchema, iso, moneySchema, timestamp, type App } from '../schemas';

const FINANCE = ['finance', 'admin'] as const;

const creditNoteSchema = z.object({
  id: z.string(),
  number: z.string().describe('gap-free per year in its own series, e.g. CN-2026-000001'),
  accountId: z.string(),
  amount: moneySchema,
  reason: z.string(),
  createdBy: z.string(),
  createdAt: timestamp,
  pdf: z.string().describe('the path of its PDF'),
});

const accountCreditSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  available: z.array(moneySchema).describe('credit left per currency, for every currency the account ever held credit in'),
  credits: z
    .array(
      z.object({
        id: z.string(),
        paymentId: z.string(),
        invoiceId: z.string().describe('the invoice whose payment left the credit'),
        invoiceNumber: z.string().nullable(),
        amount: moneySchema,
        remaining: moneySchema,
        createdAt: timestamp,
      }),
    )
    .describe('oldest first, the order they are used in'),
  uses: z
    .array(
      z.object({
        creditId: z.string(),
        invoiceId: z.string().nullable().describe('the invoice the credit was applied to at issue'),
        invoiceNumber: z.string().nullable(),
        creditNoteId: z.string().nullable().describe('the credit note that refunded it'),
        creditNoteNumber: z.string().nullable(),
        amount: moneySchema,
        at: timestamp,
      }),
    )
    .describe('each consumption of a credit, in order'),
  creditNotes: z.array(creditNoteSchema),
});

const refundBody = z.strictObject({
  amount: z
    .string()
    .regex(positiveAmountPattern, 'a decimal string more than zero such as "120.00" (at most 12 digits before the point, 2 after)')
    .describe('above zero, at most 2 decimals, at most the credit available in the currency'),
  currency: moneySchema.shape.currency,
  reason: text(textBounds.creditNoteReason),
});

function noteView(n: CreditNoteRow): z.infer<typeof creditNoteSchema> {
  return {
    id: n.id,
    number: n.number,
    accountId: n.account_id,
    amount: money(toCents(n.amount), n.currency),
    reason: n.reason,
    createdBy: n.created_by,
    createdAt: iso(n.created_at) ?? '',
    pdf: `/v1/documents/credit-notes/${encodeURIComponent(n.id)}.pdf`,
  };
}

export function creditRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();

  app.get(
    '/v1/finance/credits',
    {
      config: { roles: FINANCE },
      schema: {
        tags: ['finance'],
        summary: 'Accounts holding customer credit, the most recent credit first, with the credit left per currency',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100).describe('at most this many accounts') }),
        response: {
          200: z.object({ items: z.array(z.object({ accountId: z.string(), accountName: z.string(), available: z.array(moneySchema) })) }),
          ...errors(400, 403),
        },
      },
    },
    async (request) => {
      const rows = await accountsWithCredit(db, request.query.limit);
      const items = new Map<string, { accountId: string; accountName: string; available: { amount: string; currency: string }[] }>();
      for (const r of rows) {
        const item = items.get(r.account_id) ?? { accountId: r.account_id, accountName: r.account_name, available: [] };
        item.available.push(money(toCents(r.available), r.currency));
        items.set(r.account_id, item);
      }
      return { items: [...items.values()] };
    },
  );

  app.get(
    '/v1/accounts/:id/credit',
    {
      config: { roles: FINANCE },
      schema: {
        tags: ['finance'],
        summary: "An account's customer credit: available per currency, each credit with what is left, its uses, and the credit notes of its refunds",
        params: z.strictObject({ id: idSchema }),
        response: { 200: accountCreditSchema, ...errors(400, 403, 404) },
      },
    },
    async (request) => {
      const account = (await db('accounts').where({ id: request.params.id }).first('id', 'name')) as { id: string; name: string } | undefined;
      if (!account) throw notFound(`account ${request.params.id}`);
      const { credits, uses, notes } = await accountCredits(db, account.id);
      const invoiceIds = [...new Set([...credits.map((c) => c.invoice_id), ...uses.flatMap((u) => (u.invoice_id ? [u.invoice_id] : []))])];
      const numbers = new Map(
        ((await db('invoices').whereIn('id', invoiceIds).select('id', 'number')) as { id: string; number: string }[]).map((i) => [i.id, i.number]),
      );
      const noteNumbers = new Map(notes.map((n) => [n.id, n.number]));
      const left = new Map<string, bigint>();
      for (const c of credits) left.set(c.currency, (left.get(c.currency) ?? 0n) + toCents(c.remaining));
      return {
        accountId: account.id,
        accountName: account.name,
        available: [...left].sort(([a], [b]) => a.localeCompare(b)).map(([currency, cents]) => ({ amount: formatCents(cents), currency })),
        credits: credits.map((c) => ({
          id: c.id,
          paymentId: c.payment_id,
          invoiceId: c.invoice_id,
          invoiceNumber: numbers.get(c.invoice_id) ?? null,
          amount: money(toCents(c.amount), c.currency),
          remaining: money(toCents(c.remaining), c.currency),
          createdAt: iso(c.created_at) ?? '',
        })),
        uses: uses.map((u) => ({
          creditId: u.credit_id,
          invoiceId: u.invoice_id,
          invoiceNumber: u.invoice_id ? (numbers.get(u.invoice_id) ?? null) : null,
          creditNoteId: u.credit_note_id,
          creditNoteNumber: u.credit_note_id ? (noteNumbers.get(u.credit_note_id) ?? null) : null,
          amount: money(toCents(u.amount), u.currency),
          at: iso(u.created_at) ?? '',
        })),
        creditNotes: notes.map(noteView),
      };
    },
  );

  app.post(
    '/v1/accounts/:id/credit-refunds',
    {
      config: { roles: FINANCE },
      schema: {
        tags: ['finance'],
        summary: "Refund the account's credit: makes a credit note and consumes the credit, oldest first",
        description:
          'The credit note is numbered without gaps in its own series (CN-2026-000001), in the transaction that consumes the credit, so concurrent refunds ' +
          'never share or skip a number. More than the credit available in the currency is refused with 422 insufficient_credit and `details.available`. ' +
          'With an Idempotency-Key a repeat answers the same credit note and refunds nothing again.',
        params: z.strictObject({ id: idSchema }),
        body: refundBody,
        response: {
          200: creditNoteSchema.describe('this refund was booked before: nothing changed'),
          201: creditNoteSchema,
          ...errors(400, 403, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const refund = { id: creditNoteIdOf(request), ...request.body };
      const { note, booked } = await refundCredit(db, request.params.id, refund, userOf(request), now());
      return reply.code(booked ? 201 : 200).send(noteView(note));
    },
  );
}
