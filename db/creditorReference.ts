// RF creditor references (ISO 11649): "RF" + two check digits + up to 21 letters and digits,
// checked mod 97 like an IBAN. Every invoice carries one, derived from its gap-free number, so a
// bank transfer can carry it back and name exactly one invoice.

/** Letters as numbers (A=10 … Z=35), then the remainder mod 97, digit by digit (no bigint needed). */
function mod97(text: string): number {
  let rest = 0;
  for (const ch of text) {
    const code = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of code) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest;
}

/** The RF reference for a body such as an invoice number (non-alphanumerics dropped). */
export function creditorReference(body: string): string {
  const clean = body.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (clean.length === 0 || clean.length > 21) throw new Error(`an RF reference body has 1 to 21 letters or digits: ${body}`);
  const check = 98 - mod97(`${clean}RF00`);
  return `RF${String(check).padStart(2, '0')}${clean}`;
}

/** True for a well-formed RF reference whose check digits hold (spaces ignored, any case). */
export function isCreditorReference(value: string): boolean {
  const ref = value.toUpperCase().replace(/\s+/g, '');
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(ref)) return false;
  return mod97(`${ref.slice(4)}${ref.slice(0, 4)}`) === 1;
}

/** Every valid RF reference in free text, normalised (banks print them in groups of four). */
export function creditorReferencesIn(text: string): string[] {
  const found = new Set<string>();
  const upper = text.toUpperCase();
  for (const m of upper.matchAll(/RF\d{2}(?:\s?[A-Z0-9]){1,21}/g)) {
    const compact = m[0].replace(/\s+/g, '');
    // A reference glued to following text: try the longest valid prefix.
    for (let end = compact.length; end > 4; end--) {
      const candidate = compact.slice(0, end);
      if (isCreditorReference(candidate)) {
        found.add(candidate);
        break;
      }
    }
  }
  return [...found];
}

/** Groups of four for print: "RF18 5390 0754 7034". */
export function printedReference(ref: string): string {
  return ref.replace(/(.{4})(?=.)/g, '$1 ');
}
