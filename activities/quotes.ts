// Quoting: price the lines from the price book (the account's currency), tax by the account's
// country, a validity date; every call with a new step is a new version of the opportunity's quote.
import { findAccount, findContact } from '../db/queries/accounts';
import { HOME_TAX_COUNTRY } from '../db/queries/catalogue';
import { nextDocumentNumber } from '../db/queries/counters';
import { lockOpportunity } from '../db/queries/opportunities';
import { insertQuote, latestQuoteOf, lockQuote, quoteLines, setQuoteStatus, supersedeEarlierVersions } from '../db/queries/quotes';
import type { ActivityInput, ActivityResult } from '../machines/schema/activityCatalogue';
import { formatDay, queueEmail } from './mail/compose';
import { documentAttachment } from './mail/documentAttachment';
import { renderLines } from './mail/templates';
import { priceLines } from './pricing';
import { linesFromBook, vatRate } from './priceBook';
import { addDuration } from '../machines/duration';
import { notFound, refuse } from './support/failures';
import type { StepContext } from './support/run';

export async function priceQuote(input: ActivityInput<'priceQuote'>, ctx: StepContext): Promise<ActivityResult<'priceQuote'>> {
  const { trx } = ctx;
  const opportunity = await lockOpportunity(trx, input.opportunityId);
  if (!opportunity) throw notFound('opportunity', input.opportunityId);
  const account = await findAccount(trx, opportunity.account_id);
  if (!account) throw notFound('account', opportunity.account_id);

  const toPrice = await linesFromBook(trx, input.lines, account.currency);
  const country = account.country ?? HOME_TAX_COUNTRY;
  const rate = await vatRate(trx, country);
  const priced = priceLines(toPrice, account.currency, rate);
  const previous = await latestQuoteOf(trx, opportunity.id);
  const version = (previous?.version ?? 0) + 1;
  const validUntil = addDuration(ctx.now, input.validity);
  const quote = await insertQuote(
    trx,
    {
      opportunity_id: opportunity.id,
      number: previous?.number ?? (await nextDocumentNumber(trx, 'QUO', ctx.now)),
      version,
      journey_id: ctx.journeyId,
      account_id: account.id,
      contact_id: opportunity.contact_id,
      tax_country: country,
      ...priced.totals,
      max_discount_pct: priced.maxDiscountPct.toFixed(4),
      valid_until: validUntil,
      author_id: input.author,
    },
    priced.lines,
  );
  await supersedeEarlierVersions(trx, opportunity.id, version);
  return {
    quoteId: quote.id,
    version,
    total: { amount: priced.totals.total, currency: account.currency },
    maxDiscountPct: priced.maxDiscountPct,
    validUntil: validUntil.toISOString(),
    author: input.author,
  };
}

export async function sendQuote(input: ActivityInput<'sendQuote'>, ctx: StepContext): Promise<ActivityResult<'sendQuote'>> {
  const { trx } = ctx;
  const quote = await lockQuote(trx, input.quoteId);
  if (!quote) throw notFound('quote', input.quoteId);
  if (quote.status === 'superseded')
    throw refuse('QuoteSuperseded', `quote ${quote.number} v${quote.version} was replaced by a newer version`, { quoteId: quote.id });
  const contact = await findContact(trx, quote.contact_id);
  if (!contact) throw notFound('contact', quote.contact_id);
  const lines = await quoteLines(trx, quote.id);
  const emailId = await queueEmail(ctx, {
    kind: 'quote',
    attachments: [await documentAttachment(trx, 'quote', quote.id)],
    templateKeys: ['quote'],
    to: contact.email,
    vars: {
      name: contact.name,
      quoteRef: `${quote.number} v${quote.version}`,
      ...renderLines(
        lines.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity, unitPrice: l.unit_price, discountPct: l.discount_pct, net: l.net_amount })),
        quote.currency,
      ),
      netTotal: `${quote.net_total} ${quote.currency}`,
      taxTotal: `${quote.tax_total} ${quote.currency}`,
      total: `${quote.total} ${quote.currency}`,
      validUntil: formatDay(quote.valid_until),
    },
  });
  if (quote.status === 'draft') await setQuoteStatus(trx, quote.id, 'sent', ctx.now);
  return { emailId };
}
