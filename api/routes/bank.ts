// Finance's cash desk: bank statements in (camt.053 or CSV through a bank profile), the queue of
// bank lines by state with candidate invoices and reasons, allocating a line (split across
// invoices) and ignoring it with a note. Allocations reach the invoice's journey as
// PAYMENT_RECEIVED, each exactly once (api/bank/applyAllocations.ts).
import { z } from 'zod';
import { formatCents, toCents } from '../../db/money';
import { newId } from '../../db/ids';
import { activeAllocations, learnIban, lockBankLine, type BankAllocationRow, type BankLineRow } from '../../db/queries/bank';
import { positiveAmountPattern, text, textBounds } from '../../machines/schema/bounds';
import { userOf } from '../auth';
import { applyAllocation } from '../bank/applyAllocations';
import { isCamt053, parseCamt053 } from '../bank/camt053';
import { csvProfileNames, parseCsvStatement } from '../bank/csvProfiles';
import { importStatement } from '../bank/importStatement';
import { StatementError, type ParsedStatement } from '../bank/statement';
import type { ApiDeps } from '../deps';
import { ApiError, badRequest, notFound } from '../errors';
import { errors, idSchema, iso, moneySchema, timestamp, type App } from '../schemas';

const ROLES = ['finance', 'admin'] as const;
const LINE_STATES = ['unmatched', 'suggested', 'matched', 'ignored', 'reversed'] as const;

const importAnswer = z.object({
  importId: z.string(),
  lines: z.number().int().describe('lines in the file (one per transaction detail of a booked entry)'),
  matched: z.number().int().describe('new lines matched and sent to their journeys'),
  suggested: z.number().int().describe('new lines with candidate invoices, waiting for finance'),
  unmatched: z.number().int(),
  duplicates: z.number().int().describe('lines imported before (same file, or an overlapping statement): nothing applied again'),
  warnings: z.array(z.string()).describe('e.g. opening balance plus entries differs from the closing balance'),
});

const candidateSchema = z.object({ invoiceId: z.string(), number: z.string(), amountDue: moneySchema, reasons: z.array(z.string()) });
const allocationSchema = z.object({
  id: z.string().describe('also the id of the journey update that applied it'),
  invoiceId: z.string(),
  journeyId: z.string(),
  amount: moneySchema,
  rule: z.enum(['creditor_reference', 'invoice_number', 'counterparty_iban', 'manual']),
  appliedAt: timestamp.nullable().describe('when the journey took the payment; null while pending'),
  lastError: z.string().nullable(),
});
const lineSchema = z.object({
  id: z.string(),
  importId: z.string(),
  account: z.string(),
  bookingDate: z.string(),
  valueDate: z.string().nullable(),
  amount: moneySchema,
  direction: z.enum(['credit', 'debit']),
  reversal: z.boolean(),
  state: z.enum(LINE_STATES),
  counterparty: z.object({ name: z.string().nullable(), iban: z.string().nullable() }),
  remittance: z.string(),
  creditorReference: z.string().nullable(),
  endToEndId: z.string().nullable(),
  bankReference: z.string().nullable(),
  candidates: z.array(candidateSchema).describe('invoices this line may pay, with the reasons; never applied on their own'),
  allocations: z.array(allocationSchema),
  allocated: moneySchema,
  reverses: z
    .object({
      lineId: z.string(),
      paid: z.array(allocationSchema).describe('what the reversed line paid into journeys: those invoices are unpaid again by these amounts'),
    })
    .nullable()
    .describe('for a reversal: the line it undoes; null otherwise'),
  note: z.string().nullable(),
});

const positiveAmount = z
  .string()
  .regex(positiveAmountPattern, 'a decimal string more than zero such as "120.00" (at most 12 digits before the point, 2 after)');
const lineParams = z.strictObject({ id: idSchema });

type StoredCandidate = { invoiceId: string; number: string; amountDue: string; currency: string; reasons: string[] };

type Reversed = { reversalId: string; lineId: string; paid: BankAllocationRow[] };

/** For the reversals among `lines`: the line each undoes and what that line had paid into journeys. */
async function reversedLines(db: ApiDeps['db'], lines: BankLineRow[]): Promise<Reversed[]> {
  const ids = lines.filter((l) => l.reversal).map((l) => l.id);
  if (ids.length === 0) return [];
  const originals = (await db('bank_lines').whereIn('reversed_by', ids).select('id', 'reversed_by')) as { id: string; reversed_by: string }[];
  const paid = (
    await activeAllocations(
      db,
      originals.map((o) => o.id),
    )
  ).filter((a) => a.applied_at);
  return originals.map((o) => ({ reversalId: o.reversed_by, lineId: o.id, paid: paid.filter((a) => a.line_id === o.id) }));
}

function allocationView(a: BankAllocationRow): z.infer<typeof allocationSchema> {
  return {
    id: a.id,
    invoiceId: a.invoice_id,
    journeyId: a.journey_id,
    amount: { amount: formatCents(toCents(a.amount)), currency: a.currency },
    rule: a.rule as z.infer<typeof allocationSchema>['rule'],
    appliedAt: iso(a.applied_at),
    lastError: a.last_error,
  };
}

function lineView(line: BankLineRow, allocations: BankAllocationRow[], reversed: Reversed[] = []): z.infer<typeof lineSchema> {
  const active = allocations.filter((a) => a.line_id === line.id && !a.cancelled_at);
  const reverses = reversed.find((r) => r.reversalId === line.id);
  const allocated = active.reduce((sum, a) => sum + toCents(a.amount), 0n);
  return {
    id: line.id,
    importId: line.import_id,
    account: line.account,
    bookingDate: String(line.booking_date),
    valueDate: line.value_date ? String(line.value_date) : null,
    amount: { amount: formatCents(toCents(line.amount)), currency: line.currency },
    direction: line.direction,
    reversal: line.reversal,
    state: line.state,
    counterparty: { name: line.counterparty_name, iban: line.counterparty_iban },
    remittance: line.remittance,
    creditorReference: line.creditor_reference,
    endToEndId: line.end_to_end_id,
    bankReference: line.bank_reference,
    candidates: ((line.candidates ?? []) as StoredCandidate[]).map((c) => ({
      invoiceId: c.invoiceId,
      number: c.number,
      amountDue: { amount: c.amountDue, currency: c.currency },
      reasons: c.reasons,
    })),
    allocations: active.map(allocationView),
    allocated: { amount: formatCents(allocated), currency: line.currency },
    reverses: reverses ? { lineId: reverses.lineId, paid: reverses.paid.map(allocationView) } : null,
    note: line.note,
  };
}

function parseStatement(body: string, contentType: string, profile: (typeof csvProfileNames)[number] | undefined): ParsedStatement {
  try {
    if (/^(application|text)\/xml\b/.test(contentType) || (!contentType.startsWith('text/csv') && isCamt053(body))) return parseCamt053(body);
    if (!profile) throw badRequest('a CSV statement needs ?profile=', [{ path: 'querystring.profile', message: `one of ${csvProfileNames.join(', ')}` }]);
    return parseCsvStatement(body, profile);
  } catch (error) {
    if (error instanceof StatementError) throw badRequest(`the statement cannot be read: ${error.message}`, [{ path: error.path, message: error.message }]);
    throw error;
  }
}

export function bankRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;

  app.post(
    '/v1/finance/bank-statements',
    {
      config: { roles: ROLES },
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['finance'],
        summary: 'Import a bank statement: ISO 20022 camt.053 (.001.02, .001.08) as application/xml, or CSV (text/csv) with ?profile=',
        description:
          'One line per transaction detail of a booked entry. A line already imported (same file, overlapping statement) counts as a duplicate and is never applied again. ' +
          'New credit lines are matched in order: the RF creditor reference, an invoice number in the remittance, a known counterparty IBAN with an exact amount; a match is sent to the ' +
          "invoice's journey as PAYMENT_RECEIVED. Anything less certain waits in GET /v1/finance/bank-lines as a suggestion. A reversal (RvslInd) cancels what its original allocated " +
          'before any journey took it; one already paid waits in the queue naming the invoices it leaves unpaid again (`reverses`). A statement whose opening balance plus entries is not its closing balance is imported with a warning. ' +
          `CSV profiles: ${csvProfileNames.join(', ')}.`,
        consumes: ['application/xml', 'text/xml', 'text/csv'],
        querystring: z.strictObject({ profile: z.enum(csvProfileNames).optional().describe("the bank's CSV layout (text/csv only)") }),
        body: z.string().min(1).describe('the statement file'),
        response: { 201: importAnswer, ...errors(400, 403, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const parsed = parseStatement(request.body, String(request.headers['content-type'] ?? ''), request.query.profile);
      const result = await importStatement(deps, parsed, userOf(request));
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/v1/finance/bank-lines',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['finance'],
        summary: 'Bank lines by state, newest booking first, with candidate invoices and reasons',
        querystring: z.strictObject({
          state: z.enum(LINE_STATES).optional(),
          importId: idSchema.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ items: z.array(lineSchema) }), ...errors(400, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      const query = db('bank_lines')
        .orderBy([
          { column: 'booking_date', order: 'desc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(q.limit);
      if (q.state) void query.where({ state: q.state });
      if (q.importId) void query.where({ import_id: q.importId });
      const lines = (await query) as BankLineRow[];
      const allocations = await activeAllocations(
        db,
        lines.map((l) => l.id),
      );
      const reversed = await reversedLines(db, lines);
      return { items: lines.map((l) => lineView(l, allocations, reversed)) };
    },
  );

  app.post(
    '/v1/finance/bank-lines/:id/allocations',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['finance'],
        summary: 'Allocate (part of) a credit line to an invoice; split a line by allocating again',
        description:
          "The allocation is sent to the invoice's journey as PAYMENT_RECEIVED (on its timeline), exactly once. More than the invoice's amount due becomes customer credit, as with any payment. " +
          '409 line_not_open for an ignored or reversed line, a debit or a reversal; 409 over_allocated beyond what is left of the line (details.remaining); 409 transition_not_allowed when the ' +
          "journey takes no payment now. The counterparty IBAN is learned for the invoice's customer.",
        params: lineParams,
        body: z.strictObject({ invoiceId: idSchema, amount: positiveAmount.describe("in the line's currency") }),
        response: { 201: z.object({ allocationId: z.string(), applied: z.boolean(), line: lineSchema }), ...errors(400, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const { invoiceId, amount } = request.body;
      const allocationId = await db.transaction(async (trx) => {
        const line = await lockBankLine(trx, request.params.id);
        if (!line) throw notFound(`bank line ${request.params.id}`);
        if (line.direction !== 'credit' || line.reversal || line.state === 'ignored' || line.state === 'reversed') {
          throw new ApiError(
            409,
            'line_not_open',
            `bank line ${line.id} is ${line.reversal ? 'a reversal' : line.direction === 'debit' ? 'a debit' : line.state} and takes no allocation`,
            { state: line.state },
          );
        }
        const invoice = (await trx('invoices').where({ id: invoiceId }).first('id', 'journey_id', 'account_id', 'currency')) as
          { id: string; journey_id: string; account_id: string; currency: string } | undefined;
        if (!invoice) throw badRequest(`no invoice ${invoiceId}`, [{ path: 'body.invoiceId', message: 'no such invoice' }]);
        if (invoice.currency !== line.currency)
          throw badRequest(`the invoice is in ${invoice.currency}, the line in ${line.currency}`, [
            { path: 'body.invoiceId', message: `an invoice in ${line.currency} is needed` },
          ]);
        const taken = (await activeAllocations(trx, [line.id])).reduce((sum, a) => sum + toCents(a.amount), 0n);
        const remaining = toCents(line.amount) - taken;
        if (toCents(amount) > remaining)
          throw new ApiError(409, 'over_allocated', `only ${formatCents(remaining)} ${line.currency} of the line is left to allocate`, {
            remaining: { amount: formatCents(remaining), currency: line.currency },
          });
        const id = newId('bal');
        await trx('bank_allocations').insert({
          id,
          line_id: line.id,
          invoice_id: invoice.id,
          journey_id: invoice.journey_id,
          amount: formatCents(toCents(amount)),
          currency: invoice.currency,
          rule: 'manual',
          actor_id: user.id,
        });
        await trx('bank_lines')
          .where({ id: line.id })
          .update({ state: toCents(amount) === remaining ? 'matched' : line.state, decided_by: user.id });
        await learnIban(trx, line.counterparty_iban, invoice.account_id);
        return id;
      });
      const allocation = (await db('bank_allocations').where({ id: allocationId }).first()) as BankAllocationRow;
      const applied = await applyAllocation(deps, allocation, user);
      if (applied.error && !applied.applied && applied.error.code !== 'unavailable')
        throw new ApiError(409, applied.error.code, applied.error.message, { allocationId });
      const line = (await db('bank_lines').where({ id: request.params.id }).first()) as BankLineRow;
      return reply.code(201).send({ allocationId, applied: applied.applied, line: lineView(line, await activeAllocations(db, [line.id])) });
    },
  );

  app.post(
    '/v1/finance/bank-lines/:id/ignore',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['finance'],
        summary: 'Ignore a bank line (not a customer payment, or a reversal settled with the customer), with a note',
        description: '409 line_allocated when part of the line is allocated to an invoice.',
        params: lineParams,
        // Not blank, as the document says (a note of spaces only is refused by its pattern, not after trimming).
        body: z.strictObject({ note: text({ ...textBounds.note, required: true }) }),
        response: { 200: lineSchema, ...errors(400, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const user = userOf(request);
      const line = await db.transaction(async (trx) => {
        const row = await lockBankLine(trx, request.params.id);
        if (!row) throw notFound(`bank line ${request.params.id}`);
        if ((await activeAllocations(trx, [row.id])).length > 0)
          throw new ApiError(409, 'line_allocated', `bank line ${row.id} is allocated to an invoice`, { state: row.state });
        const [updated] = (await trx('bank_lines')
          .where({ id: row.id })
          .update({ state: 'ignored', note: request.body.note, decided_by: user.id })
          .returning('*')) as BankLineRow[];
        return updated as BankLineRow;
      });
      return lineView(line, [], await reversedLines(db, [line]));
    },
  );
}
