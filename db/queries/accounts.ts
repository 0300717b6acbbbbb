// Accounts (companies), their contacts, and the demo enrichment data keyed by domain.
import type { Knex } from 'knex';
import type { Address } from '../../machines/schema/address';
import { newId } from '../ids';

export interface AccountRow {
  id: string;
  name: string;
  name_key: string;
  domain: string | null;
  country: string | null;
  company_size: number | null;
  industry: string | null;
  currency: string;
  credit_limit: string | null;
  billing_address: Address | null;
  shipping_address: Address | null;
  created_at: Date;
}

export interface ContactRow {
  id: string;
  account_id: string;
  name: string;
  email: string;
  email_normalized: string;
  phone: string | null;
  phone_normalized: string | null;
  created_at: Date;
}

export interface CompanyProfileRow {
  domain: string;
  name: string;
  company_size: number | null;
  industry: string | null;
  country: string | null;
  credit_limit: string | null;
  currency: string;
}

export async function findAccount(db: Knex, id: string): Promise<AccountRow | undefined> {
  return (await db('accounts').where({ id }).first()) as AccountRow | undefined;
}

export async function findAccountByDomain(db: Knex, domain: string): Promise<AccountRow | undefined> {
  return (await db('accounts').where({ domain }).first()) as AccountRow | undefined;
}

/** Accounts whose normalised name starts like this one: the candidates for a fuzzy name match. */
export async function accountNameCandidates(db: Knex, nameKey: string, limit = 500): Promise<AccountRow[]> {
  if (nameKey.length === 0) return [];
  return (await db('accounts')
    .where('name_key', nameKey)
    .orWhereRaw('left(name_key, 3) = left(?, 3)', [nameKey])
    .orderBy('created_at')
    .limit(limit)) as AccountRow[];
}

export async function insertAccount(
  db: Knex,
  account: { name: string; nameKey: string; domain: string | null; country: string | null; companySize: number | null },
): Promise<AccountRow> {
  const [row] = (await db('accounts')
    .insert({
      id: newId('acc'),
      name: account.name,
      name_key: account.nameKey,
      domain: account.domain,
      country: account.country,
      company_size: account.companySize,
    })
    .returning('*')) as AccountRow[];
  if (!row) throw new Error('account insert returned no row');
  return row;
}

/** Fills only what the account does not know yet; what a person entered is never overwritten. */
export async function fillAccountGaps(
  db: Knex,
  account: AccountRow,
  known: {
    domain?: string | null;
    country?: string | null;
    companySize?: number | null;
    industry?: string | null;
    creditLimit?: string | null;
    billingAddress?: Address | undefined;
    shippingAddress?: Address | undefined;
  },
): Promise<void> {
  const patch: Record<string, unknown> = {};
  if (!account.domain && known.domain) patch.domain = known.domain;
  if (!account.country && known.country) patch.country = known.country;
  if (account.company_size == null && known.companySize != null) patch.company_size = known.companySize;
  if (!account.industry && known.industry) patch.industry = known.industry;
  if (account.credit_limit == null && known.creditLimit != null) patch.credit_limit = known.creditLimit;
  if (!account.billing_address && known.billingAddress) patch.billing_address = JSON.stringify(known.billingAddress);
  if (!account.shipping_address && known.shippingAddress) patch.shipping_address = JSON.stringify(known.shippingAddress);
  if (Object.keys(patch).length > 0) await db('accounts').where({ id: account.id }).update(patch);
}

export async function findContact(db: Knex, id: string): Promise<ContactRow | undefined> {
  return (await db('contacts').where({ id }).first()) as ContactRow | undefined;
}

export async function findContactByEmail(db: Knex, emailNormalized: string): Promise<ContactRow | undefined> {
  return (await db('contacts').where({ email_normalized: emailNormalized }).first()) as ContactRow | undefined;
}

export async function findContactByPhone(db: Knex, phoneNormalized: string): Promise<ContactRow | undefined> {
  return (await db('contacts').where({ phone_normalized: phoneNormalized }).orderBy('created_at').first()) as ContactRow | undefined;
}

export async function contactsOfAccount(db: Knex, accountId: string): Promise<ContactRow[]> {
  return (await db('contacts').where({ account_id: accountId }).orderBy('created_at')) as ContactRow[];
}

export async function insertContact(
  db: Knex,
  contact: { accountId: string; name: string; email: string; emailNormalized: string; phone: string | null; phoneNormalized: string | null },
): Promise<ContactRow> {
  const [row] = (await db('contacts')
    .insert({
      id: newId('con'),
      account_id: contact.accountId,
      name: contact.name,
      email: contact.email,
      email_normalized: contact.emailNormalized,
      phone: contact.phone,
      phone_normalized: contact.phoneNormalized,
    })
    .returning('*')) as ContactRow[];
  if (!row) throw new Error('contact insert returned no row');
  return row;
}

export async function fillContactGaps(db: Knex, contact: ContactRow, known: { phone: string | null; phoneNormalized: string | null }): Promise<void> {
  if (!contact.phone && known.phone) await db('contacts').where({ id: contact.id }).update({ phone: known.phone, phone_normalized: known.phoneNormalized });
}

export async function findCompanyProfile(db: Knex, domain: string): Promise<CompanyProfileRow | undefined> {
  return (await db('company_profiles').where({ domain: domain.toLowerCase() }).first()) as CompanyProfileRow | undefined;
}
