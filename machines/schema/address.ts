// A postal address as an invoice and a shipping label need it: the buyer's billing address and
// where goods go. Country is an ISO 3166-1 alpha-2 code, as everywhere in the process.
import { z } from 'zod';
import { text, textBounds } from './bounds.js';

const countryCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as "DE"');

// Inlined in the OpenAPI document (no named component), so each use shows its fields where it is.
export const addressSchema = z.strictObject({
  line1: text(textBounds.addressLine).describe('street and number, or PO box'),
  line2: text(textBounds.addressLine2).optional().describe('building, floor, c/o'),
  postalCode: text(textBounds.postalCode),
  city: text(textBounds.city),
  region: text(textBounds.region).optional().describe('state, province or county, where the country uses one'),
  country: countryCodeSchema,
});
export type Address = z.infer<typeof addressSchema>;

/** The address as printed, one line each: "Hauptstr. 5", "10115 Berlin", "DE". */
export function addressLines(address: Address): string[] {
  const lines = [address.line1];
  if (address.line2) lines.push(address.line2);
  lines.push(`${address.postalCode} ${address.city}`);
  if (address.region) lines.push(address.region);
  lines.push(address.country);
  return lines;
}
