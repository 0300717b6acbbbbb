// Keys for finding the same person or company again: email (case-insensitive), phone (digits with
// the country calling code), company domain (not for free-mail providers) and a normalised
// company name compared by trigram similarity (as pg_trgm does, computed here: the extension is
// not guaranteed to be installed).

const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.de',
  'yahoo.fr',
  'hotmail.com',
  'hotmail.de',
  'outlook.com',
  'live.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'proton.me',
  'protonmail.com',
  'orange.fr',
  'free.fr',
]);

const CALLING_CODES: Record<string, string> = {
  DE: '49',
  AT: '43',
  CH: '41',
  FR: '33',
  NL: '31',
  BE: '32',
  LU: '352',
  GB: '44',
  IE: '353',
  US: '1',
  CA: '1',
  IT: '39',
  ES: '34',
  PT: '351',
  PL: '48',
  CZ: '420',
  SE: '46',
  DK: '45',
  NO: '47',
  FI: '358',
};

// Legal forms and filler words that do not tell companies apart.
const NOISE = new Set([
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'se',
  'ug',
  'ohg',
  'ev',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'llc',
  'plc',
  'sa',
  'sas',
  'sarl',
  'bv',
  'nv',
  'srl',
  'spa',
  'ab',
  'as',
  'oy',
  'the',
  'and',
  'group',
  'holding',
  'holdings',
]);

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailDomain(email: string): string {
  return normaliseEmail(email).split('@').pop() ?? '';
}

/** The company's own domain, or null for free-mail addresses (which say nothing about the company). */
export function businessDomain(email: string): string | null {
  const domain = emailDomain(email);
  return domain && !FREE_MAIL.has(domain) ? domain : null;
}

/**
 * "+49 (30) 1234-56", "0049 30 123456" and "030 123456" (country DE) all become "+4930123456".
 * Without a country, a national number keeps its digits only (it still matches its own twin).
 */
export function normalisePhone(phone: string | undefined, country: string | undefined): string | null {
  if (!phone) return null;
  const trimmed = phone.trim();
  let digits = trimmed.replace(/\D/g, '');
  if (digits.length < 5) return null;
  if (trimmed.startsWith('+')) return `+${digits}`;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  const code = country ? CALLING_CODES[country] : undefined;
  if (!code) return digits;
  if (code === '1') return digits.length === 11 && digits.startsWith('1') ? `+${digits}` : `+1${digits}`;
  if (digits.startsWith('0')) digits = digits.slice(1);
  return `+${code}${digits}`;
}

/** "ACME Corp." → "acme", "Müller & Söhne GmbH" → "muller sohne". */
export function companyNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((word) => word.length > 0 && !NOISE.has(word))
    .join(' ');
}

function trigrams(key: string): Set<string> {
  const grams = new Set<string>();
  for (const word of key.split(' ').filter(Boolean)) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i += 1) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}

/** Trigram similarity of two normalised names, 0..1 (pg_trgm's `similarity`). */
export function nameSimilarity(a: string, b: string): number {
  const ga = trigrams(a);
  const gb = trigrams(b);
  if (ga.size === 0 || gb.size === 0) return 0;
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared += 1;
  return shared / (ga.size + gb.size - shared);
}

/** At or above this, two company names are taken to be the same company. */
export const SAME_COMPANY_SIMILARITY = 0.6;

export function personNameKey(name: string): string {
  return companyNameKey(name);
}
