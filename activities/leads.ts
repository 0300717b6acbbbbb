// Lead capture and enrichment. Capture dedupes against earlier leads and contacts: the same email
// (any case) or the same normalised phone is the same person, and so is the same name at the same
// company; the same company domain or a similar company name is the same account. A lead for a
// person already known is kept (this journey needs its own lead) but merged: it points at the
// original lead (duplicateOf) and the merge is recorded. A person gets one auto-response a day:
// a repeat inquiry within the day of an answered one is not answered again.
import {
  accountNameCandidates,
  contactsOfAccount,
  fillAccountGaps,
  fillContactGaps,
  findAccount,
  findAccountByDomain,
  findCompanyProfile,
  findContactByEmail,
  findContactByPhone,
  insertAccount,
  insertContact,
  type AccountRow,
  type ContactRow,
} from '../db/queries/accounts';
import {
  autoResponseGrantedSince,
  insertLead,
  lockLead,
  lockLeadCapture,
  originalLeadOfContact,
  recordMerge,
  updateLead,
  type LeadRow,
} from '../db/queries/leads';
import type { ActivityInput, ActivityResult, LeadInput } from '../machines/schema/activityCatalogue';
import { businessDomain, companyNameKey, emailDomain, nameSimilarity, normaliseEmail, normalisePhone, personNameKey, SAME_COMPANY_SIMILARITY } from './dedupe';
import { notFound } from './support/failures';
import type { StepContext } from './support/run';

const CHANNELS: Record<LeadInput['source'], string> = {
  web_form: 'online',
  social: 'online',
  api: 'online',
  email: 'email',
  phone: 'phone',
  import: 'list',
  event: 'offline',
  referral: 'offline',
};

type Trx = StepContext['trx'];

const DAY_MS = 86_400_000;

async function matchAccount(trx: Trx, lead: LeadInput, domain: string | null): Promise<{ account: AccountRow; matchedOn: 'domain' | 'company_name' } | null> {
  if (domain) {
    const byDomain = await findAccountByDomain(trx, domain);
    if (byDomain) return { account: byDomain, matchedOn: 'domain' };
  }
  const key = lead.company ? companyNameKey(lead.company) : '';
  if (!key) return null;
  let best: { account: AccountRow; similarity: number } | null = null;
  for (const candidate of await accountNameCandidates(trx, key)) {
    // Two different company domains are two companies, however alike their names.
    if (domain && candidate.domain && candidate.domain !== domain) continue;
    const similarity = nameSimilarity(key, candidate.name_key);
    if (similarity >= SAME_COMPANY_SIMILARITY && (!best || similarity > best.similarity)) best = { account: candidate, similarity };
  }
  return best ? { account: best.account, matchedOn: 'company_name' } : null;
}

export async function captureLead(input: ActivityInput<'captureLead'>, ctx: StepContext): Promise<ActivityResult<'captureLead'>> {
  const { trx } = ctx;
  const lead = input.lead;
  await lockLeadCapture(trx);
  const email = normaliseEmail(lead.email);
  const phone = normalisePhone(lead.phone, lead.country);
  const domain = businessDomain(email);

  let contact: ContactRow | undefined = await findContactByEmail(trx, email);
  let matchedOn: 'email' | 'phone' | 'name_and_company' | null = contact ? 'email' : null;
  if (!contact && phone) {
    contact = await findContactByPhone(trx, phone);
    if (contact) matchedOn = 'phone';
  }

  let account: AccountRow | undefined = contact ? await findAccount(trx, contact.account_id) : undefined;
  let accountMatchedOn: string | null = account ? 'contact' : null;
  if (!account) {
    const match = await matchAccount(trx, lead, domain);
    if (match) {
      account = match.account;
      accountMatchedOn = match.matchedOn;
      const person = personNameKey(lead.name);
      contact = (await contactsOfAccount(trx, account.id)).find((c) => personNameKey(c.name) === person);
      if (contact) matchedOn = 'name_and_company';
    }
  }
  if (!account) {
    const name = lead.company ?? lead.name;
    account = await insertAccount(trx, { name, nameKey: companyNameKey(name), domain, country: lead.country ?? null, companySize: lead.companySize ?? null });
    await fillAccountGaps(trx, account, { billingAddress: lead.billingAddress, shippingAddress: lead.shippingAddress });
  } else {
    // Only a domain nobody else holds may be added to the matched account; its addresses stay as sales keep them.
    const domainFree = domain ? !(await findAccountByDomain(trx, domain)) : false;
    await fillAccountGaps(trx, account, {
      domain: domainFree ? domain : null,
      country: lead.country ?? null,
      companySize: lead.companySize ?? null,
      billingAddress: lead.billingAddress,
      shippingAddress: lead.shippingAddress,
    });
  }

  if (contact) await fillContactGaps(trx, contact, { phone: lead.phone ?? null, phoneNormalized: phone });
  else
    contact = await insertContact(trx, {
      accountId: account.id,
      name: lead.name,
      email: lead.email.trim(),
      emailNormalized: email,
      phone: lead.phone ?? null,
      phoneNormalized: phone,
    });

  const original = matchedOn ? await originalLeadOfContact(trx, contact.id) : undefined;
  const answeredToday = matchedOn ? await autoResponseGrantedSince(trx, contact.id, new Date(ctx.now.getTime() - DAY_MS)) : false;
  const row = await insertLead(trx, {
    journey_id: ctx.journeyId,
    account_id: account.id,
    contact_id: contact.id,
    source: lead.source,
    channel: CHANNELS[lead.source],
    name: lead.name,
    email: lead.email.trim(),
    phone: lead.phone ?? null,
    company: lead.company ?? null,
    company_size: lead.companySize ?? null,
    country: lead.country ?? null,
    product_interest: lead.productInterest ?? null,
    message: lead.message ?? null,
    duplicate_of: original?.id ?? null,
    auto_response_at: answeredToday ? null : ctx.now,
  });
  if (original && matchedOn) {
    await recordMerge(trx, { leadId: row.id, mergedInto: original.id, matchedOn, detail: { email, phone, domain, account: accountMatchedOn } });
  }
  return {
    leadId: row.id,
    accountId: account.id,
    contactId: contact.id,
    duplicateOf: original?.id ?? null,
    requiredFieldsPresent: Boolean(lead.name.trim() && email && lead.company?.trim() && lead.country),
  };
}

/** Fills company size, industry and country from the company profile of the lead's domain; what the lead said wins. */
export async function enrichLead(trx: Trx, lead: LeadRow, now: Date): Promise<ActivityResult<'enrichProfile'>> {
  const account = await findAccount(trx, lead.account_id);
  const domain = account?.domain ?? businessDomain(lead.email) ?? emailDomain(lead.email);
  const profile = domain ? await findCompanyProfile(trx, domain) : undefined;
  const companySize = lead.company_size ?? account?.company_size ?? profile?.company_size ?? null;
  const industry = lead.industry ?? account?.industry ?? profile?.industry ?? null;
  const country = lead.country ?? account?.country ?? profile?.country ?? null;
  const company = lead.company ?? profile?.name ?? null;
  await updateLead(trx, lead.id, { company_size: companySize, industry, country, company, enriched_at: now });
  if (account) {
    await fillAccountGaps(trx, account, { companySize, industry, country, creditLimit: profile?.credit_limit ?? null });
  }
  return { companySize, industry, country };
}

export async function enrichProfile(input: ActivityInput<'enrichProfile'>, ctx: StepContext): Promise<ActivityResult<'enrichProfile'>> {
  const lead = await lockLead(ctx.trx, input.leadId);
  if (!lead) throw notFound('lead', input.leadId);
  return enrichLead(ctx.trx, lead, ctx.now);
}
