// The limits of every value a client sends that is stored, declared once. The zod schemas (and so
// the OpenAPI document) are built from them, and each names the columns that hold the value, which
// tests/api/bounds.test.ts holds against the live database: whatever the API accepts fits.
// Lengths count characters (code points), as PostgreSQL's varchar(n) and JSON Schema's maxLength do.
import { z } from 'zod';

interface TextBound {
  readonly maxLength: number;
  /** At least one character other than white space (the value is trimmed). */
  readonly required?: true;
  readonly pattern?: RegExp;
  readonly patternMessage?: string;
  /** `table.column`s that store the value as sent. */
  readonly columns: readonly string[];
}

interface NumberBound {
  readonly min: number;
  readonly max: number;
  readonly integer?: true;
  readonly columns: readonly string[];
}

export const textBounds = {
  personName: { maxLength: 200, required: true, columns: ['leads.name', 'contacts.name', 'users.name', 'journeys.lead_name'] },
  /** What mail servers deliver (RFC 5321): a local part of at most 64, labels of at most 63 that neither start nor end with
   * a hyphen, a path of at most 253 octets. */
  email: {
    maxLength: 253,
    pattern: /^(?=[^@]{1,64}@)(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
    patternMessage: 'an email address such as ada@example.com (at most 64 characters before the @)',
    columns: [
      'leads.email',
      'contacts.email',
      'contacts.email_normalized',
      'users.email',
      'journeys.lead_email',
      'email_outbox.to_address',
      'accounts.domain',
      'unsubscribe_tokens.email',
      'email_unsubscribes.email',
    ],
  },
  phone: { maxLength: 40, columns: ['leads.phone', 'contacts.phone', 'contacts.phone_normalized'] },
  company: { maxLength: 200, columns: ['leads.company', 'accounts.name', 'journeys.company'] },
  productInterest: { maxLength: 100, columns: ['leads.product_interest'] },
  leadMessage: { maxLength: 5000, columns: ['leads.message'] },
  team: { maxLength: 64, required: true, columns: ['users.team'] },
  /** Notes on events, confirmations and stuck actions (kept in the audit trail). */
  note: { maxLength: 2000, columns: ['approvals.note'] },
  sku: { maxLength: 64, required: true, columns: ['quote_lines.sku', 'sales_order_lines.sku', 'invoice_lines.sku', 'purchase_order_receipts.sku'] },
  carrier: { maxLength: 100, required: true, columns: ['shipments.carrier'] },
  trackingNumber: { maxLength: 100, required: true, columns: ['shipments.tracking_number'] },
  paymentReference: { maxLength: 100, required: true, columns: ['payments.reference'] },
  creditNoteReason: { maxLength: 500, required: true, columns: ['credit_notes.reason'] },
  definitionKey: {
    maxLength: 64,
    pattern: /^[a-z][a-z0-9-]*$/,
    patternMessage: 'a key in kebab-case such as "lead-to-cash"',
    columns: ['process_definitions.key', 'journeys.definition_key'],
  },
  stageName: {
    maxLength: 64,
    pattern: /^[a-z][a-z0-9_]*$/,
    patternMessage: 'a stage name in snake_case such as "quote_sent"',
    columns: ['journeys.stage', 'journey_audit.stage'],
  },
  eventName: { maxLength: 64, pattern: /^[A-Z][A-Z_]*$/, patternMessage: 'an event name in UPPER_CASE such as "CONFIRM"', columns: ['journey_audit.event'] },
  timerName: { maxLength: 64, pattern: /^[a-z][a-zA-Z0-9]*$/, patternMessage: 'a timer name in camelCase such as "expiry"', columns: [] },
  /** Names a definition refers to: context fields, activities, policies, what a stage waits for. */
  definitionName: { maxLength: 64, required: true, columns: ['journeys.parked_activity'] },
  templateKey: { maxLength: 100, required: true, columns: ['dunning_notices.template', 'email_outbox.template_key'] },
  ruleName: { maxLength: 100, required: true, columns: ['response_rules.name'] },
  emailSubject: { maxLength: 300, required: true, columns: ['email_templates.subject', 'email_template_versions.subject'] },
  emailBody: { maxLength: 20_000, required: true, columns: ['email_templates.text_body', 'email_templates.html_body'] },
  /** A value a preview fills a placeholder with. */
  templateSample: { maxLength: 2000, columns: [] },
  definitionTitle: { maxLength: 200, columns: [] },
  definitionLabel: { maxLength: 80, columns: [] },
  definitionDescription: { maxLength: 2000, columns: [] },
  /** Postal addresses are kept whole as JSON (accounts, and the snapshots on orders, shipments and invoices). */
  addressLine: { maxLength: 200, required: true, columns: [] },
  addressLine2: { maxLength: 200, columns: [] },
  postalCode: { maxLength: 16, required: true, columns: [] },
  city: { maxLength: 100, required: true, columns: [] },
  region: { maxLength: 100, columns: [] },
  /** A web form's name, as ops call it (api/routes/forms.ts). */
  formName: { maxLength: 100, required: true, columns: ['lead_forms.name'] },
  /** A page that may post to a web form: scheme://host[:port], without path (what browsers send as Origin). */
  formOrigin: {
    maxLength: 200,
    // The last label of a name starts with a letter, else it is an IPv4 address: what URL parsers accept as a host.
    pattern:
      /^[Hh][Tt][Tt][Pp][Ss]?:\/\/(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?::(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]))?$/,
    patternMessage: 'an origin such as https://www.example.com or http://localhost:8080: scheme, host and port, no path',
    columns: ['form_submissions.origin'],
  },
  /** ISO-8601 durations in definitions and queries (invoices keep their payment terms). */
  duration: { maxLength: 64, columns: ['invoices.payment_terms'] },
} as const satisfies Record<string, TextBound>;

export const numberBounds = {
  companySize: { min: 1, max: 10_000_000, integer: true, columns: ['leads.company_size', 'accounts.company_size'] },
  quantity: {
    min: 1,
    max: 100_000,
    integer: true,
    columns: ['quote_lines.quantity', 'sales_order_lines.quantity', 'invoice_lines.quantity', 'purchase_order_receipts.quantity'],
  },
  discountPct: { min: 0, max: 100, columns: ['quote_lines.discount_pct', 'sales_order_lines.discount_pct', 'quotes.max_discount_pct'] },
  scoreThreshold: { min: 0, max: 100_000, columns: ['lead_scores.mql_threshold', 'lead_scores.sql_threshold'] },
  dunningLevel: { min: 1, max: 100, integer: true, columns: ['dunning_notices.level'] },
  /** The largest amount a client may send (payments, fees): 12 digits before the point. */
  amount: { min: 0, max: 999_999_999_999.99, columns: ['payments.amount', 'dunning_notices.fee'] },
} as const satisfies Record<string, NumberBound>;

/**
 * Text PostgreSQL can hold: no U+0000 and no lone surrogate (which UTF-8 cannot encode; it would be
 * stored as U+FFFD). Read as Unicode, a surrogate pair is one character outside the excluded range,
 * as JSON Schema validators read the pattern. Every text field refuses the rest (api/textInput.ts).
 */
export const STORABLE_TEXT = new RegExp(String.raw`^[^\u0000\uD800-\uDFFF]*$`, 'u');
const TEXT_MESSAGE = 'must be Unicode text without the NUL character \\u0000';

const codePoints = (value: string): number => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

/** A string within `bound`, as the API accepts it; the OpenAPI document shows the same limits. */
export function text(bound: TextBound) {
  const { maxLength } = bound;
  // Length and NUL are checked on the value as sent, as the document states them; then trimmed.
  let schema = z
    .string()
    .regex(STORABLE_TEXT, TEXT_MESSAGE)
    .refine((value) => codePoints(value) <= maxLength, `at most ${maxLength} characters`);
  if (bound.required) schema = schema.min(1).trim().regex(/\S/, 'must not be blank');
  if (bound.pattern) schema = schema.regex(bound.pattern, bound.patternMessage);
  return schema.meta({ maxLength });
}

/** A number within `bound` (an integer where the bound says so). */
export function number(bound: NumberBound) {
  const schema = bound.integer ? z.number().int() : z.number();
  return schema.min(bound.min).max(bound.max);
}

/** ISO-8601 durations with at most a few digits per part, so none overflows a clock or a date. */
const DURATION = String.raw`P(?!$)(\d{1,2}Y)?(\d{1,3}M)?(\d{1,4}W)?(\d{1,5}D)?(T(?=\d)(\d{1,6}H)?(\d{1,7}M)?(\d{1,9}(\.\d{1,3})?S)?)?`;
export const durationPattern = new RegExp(`^${DURATION}$`);
/** A duration with a digit other than 0: longer than nothing (SLAs, payment terms, dunning offsets). */
export const positiveDurationPattern = new RegExp(`^(?=[^1-9]*[1-9])${DURATION}$`);

/** A decimal amount a client sends: up to 12 digits before the point and 2 after. */
export const amountPattern = /^\d{1,12}(\.\d{1,2})?$/;
/** An amount more than zero. */
export const positiveAmountPattern = /^(?=[^1-9]*[1-9])\d{1,12}(\.\d{1,2})?$/;

/**
 * A calendar day, YYYY-MM-DD, that PostgreSQL's `date` can hold: ISO 8601's year 0000 (1 BC) has
 * no such spelling there, so the years run from 0001. One pattern, so the document states it whole.
 * Shared by query parameters and bank files.
 */
export const calendarDayPattern = new RegExp(`^(?!0000)${z.regexes.date.source.slice(1)}`);
export const calendarDay = z.string().regex(calendarDayPattern, 'a calendar day YYYY-MM-DD, in the year 0001 or later').meta({ format: 'date' });
