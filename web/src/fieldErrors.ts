// A field issue of a 400 (`{path, message}`) as a sentence a person acts on:
// `body.email` + "Invalid email address" → "Email: enter an address like name@example.com".
/** Where in the request the field sits, which the person filling a form never sees. */
const CONTAINERS = new Set(['body', 'querystring', 'params', 'headers', 'data']);

const ACRONYMS: Record<string, string> = { sku: 'SKU', iban: 'IBAN', url: 'URL', id: 'ID', vat: 'VAT' };

const word = (segment: string) =>
  segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase())
    .join(' ');

/** `body.data.lines.1.sku` → "Line 2, SKU"; `body.billingAddress.postalCode` → "Billing address, postal code". */
export function fieldName(path: string): string {
  const parts: string[] = [];
  for (const segment of path.split('.').filter(Boolean)) {
    if (CONTAINERS.has(segment) && parts.length === 0) continue;
    if (/^\d+$/.test(segment) && parts.length > 0) {
      const list = parts.pop() ?? '';
      parts.push(`${list.replace(/s$/, '')} ${Number(segment) + 1}`);
    } else parts.push(word(segment));
  }
  const text = parts.join(', ');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : 'The request';
}

const REWRITES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^invalid email address$/i, () => 'enter an address like name@example.com'],
  [/^required$|received undefined$/i, () => 'this is required'],
  [/^too small: expected string to have >=1 characters?$/i, () => 'this cannot be empty'],
  [/^too big: expected string to have <=(\d+) characters?$/i, (m) => `use at most ${m[1]} characters`],
  [/^too small: expected string to have >=(\d+) characters?$/i, (m) => `use at least ${m[1]} characters`],
  [/^too big: expected number to be <=?(\S+)$/i, (m) => `enter at most ${m[1]}`],
  [/^too small: expected number to be >(\S+)$/i, (m) => `enter more than ${m[1]}`],
  [/^too small: expected number to be >=(\S+)$/i, (m) => `enter at least ${m[1]}`],
  [/^too big: expected array to have <=(\d+) items?$/i, (m) => `give at most ${m[1]}`],
  [/^too small: expected array to have >=(\d+) items?$/i, (m) => `give at least ${m[1]}`],
  [/^invalid input: expected (number|int)\b.*$/i, () => 'enter a number'],
  [/^invalid input: expected string\b.*$/i, () => 'enter text'],
  [/^invalid option: expected one of (.*)$/i, (m) => `choose one of ${(m[1] ?? '').replace(/"/g, '').replace(/\|/g, ', ')}`],
  [/^is not a known field$/i, () => 'this field is not expected here'],
];

export function issueSentence(issue: { path: string; message: string }): string {
  const message = issue.message.trim();
  for (const [pattern, rewrite] of REWRITES) {
    const match = pattern.exec(message);
    if (match) return `${fieldName(issue.path)}: ${rewrite(match)}`;
  }
  return `${fieldName(issue.path)}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}
