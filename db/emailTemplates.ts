// The built-in email templates (text and HTML) for every email the activities send. They are the
// defaults when email_templates has no row of that key, and the demo seed copies them there so ops
// can edit them. Placeholders: {{name}} (escaped in HTML), {{{name}}} (pre-rendered HTML).

export const templateKinds = ['auto_response', 'nurture', 'quote', 'shipment', 'invoice', 'dunning', 'sla_breach'] as const;
export type TemplateKind = (typeof templateKinds)[number];

export interface EmailTemplate {
  key: string;
  kind: TemplateKind;
  /** Each save by ops adds one; the built-in ones are 0. */
  version?: number;
  subject: string;
  text: string;
  html: string;
}

const footer = {
  text: '\n\nKind regards,\nYour Lead-to-Cash sales team',
  html: '<p>Kind regards,<br>Your Lead-to-Cash sales team</p>',
};

export const builtInTemplates: readonly EmailTemplate[] = [
  {
    key: 'auto_response',
    kind: 'auto_response',
    subject: 'Thank you for your interest, {{name}}',
    text: 'Hello {{name}},\n\nthank you for your interest{{interestText}}. {{ownerName}} ({{ownerEmail}}) will get back to you shortly.' + footer.text,
    html:
      '<p>Hello {{name}},</p><p>thank you for your interest{{interestText}}. {{ownerName}} (<a href="mailto:{{ownerEmail}}">{{ownerEmail}}</a>) will get back to you shortly.</p>' +
      footer.html,
  },
  {
    // The nurture cadence's email; the link stops the cadence (and any later one) for this address.
    key: 'nurture',
    kind: 'nurture',
    subject: 'Still thinking about {{topic}}, {{name}}?',
    text:
      'Hello {{name}},\n\nwhen the time is right for {{topic}}, {{ownerName}} ({{ownerEmail}}) is glad to help. Just reply to this email.' +
      footer.text +
      '\n\nNo more of these emails: {{unsubscribeUrl}}',
    html:
      '<p>Hello {{name}},</p><p>when the time is right for {{topic}}, {{ownerName}} (<a href="mailto:{{ownerEmail}}">{{ownerEmail}}</a>) is glad to help. Just reply to this email.</p>' +
      footer.html +
      '<p><a href="{{unsubscribeUrl}}">No more of these emails</a></p>',
  },
  {
    key: 'quote',
    kind: 'quote',
    subject: 'Your quotation {{quoteRef}}',
    text:
      'Hello {{name}},\n\nplease find our quotation {{quoteRef}} below.\n\n{{linesText}}\n\nNet: {{netTotal}}\nTax: {{taxTotal}}\nTotal: {{total}}\n\nValid until {{validUntil}}.' +
      footer.text,
    html:
      '<p>Hello {{name}},</p><p>please find our quotation <strong>{{quoteRef}}</strong> below.</p>{{{linesHtml}}}<p>Net: {{netTotal}}<br>Tax: {{taxTotal}}<br><strong>Total: {{total}}</strong></p><p>Valid until {{validUntil}}.</p>' +
      footer.html,
  },
  {
    key: 'shipment',
    kind: 'shipment',
    subject: 'Your order {{orderNumber}} has shipped',
    text: 'Hello {{name}},\n\nyour order {{orderNumber}} is on its way with {{carrier}}, tracking number {{trackingNumber}}.\n\n{{linesText}}' + footer.text,
    html:
      '<p>Hello {{name}},</p><p>your order <strong>{{orderNumber}}</strong> is on its way with {{carrier}}, tracking number <strong>{{trackingNumber}}</strong>.</p>{{{linesHtml}}}' +
      footer.html,
  },
  {
    key: 'invoice',
    kind: 'invoice',
    subject: 'Invoice {{invoiceNumber}}',
    text:
      'Hello {{name}},\n\nplease find invoice {{invoiceNumber}} for order {{orderNumber}}.\n\n{{linesText}}\n\nNet: {{netTotal}}\nTax: {{taxTotal}}\nTotal due: {{total}}\nDue date: {{dueDate}}\nPayment reference: {{paymentReference}} (please quote it with your transfer)' +
      footer.text,
    html:
      '<p>Hello {{name}},</p><p>please find invoice <strong>{{invoiceNumber}}</strong> for order {{orderNumber}}.</p>{{{linesHtml}}}<p>Net: {{netTotal}}<br>Tax: {{taxTotal}}<br><strong>Total due: {{total}}</strong><br>Due date: {{dueDate}}<br>Payment reference: <strong>{{paymentReference}}</strong> (please quote it with your transfer)</p>' +
      footer.html,
  },
  {
    // The invoice when the account's credit settled part or all of it at issue.
    key: 'invoice_credit_applied',
    kind: 'invoice',
    subject: 'Invoice {{invoiceNumber}}',
    text:
      'Hello {{name}},\n\nplease find invoice {{invoiceNumber}} for order {{orderNumber}}.\n\n{{linesText}}\n\nNet: {{netTotal}}\nTax: {{taxTotal}}\nTotal: {{total}}\nCredit applied: -{{creditApplied}}\nAmount due: {{amountDue}}\nDue date: {{dueDate}}\nPayment reference: {{paymentReference}} (please quote it with any transfer)' +
      footer.text,
    html:
      '<p>Hello {{name}},</p><p>please find invoice <strong>{{invoiceNumber}}</strong> for order {{orderNumber}}.</p>{{{linesHtml}}}<p>Net: {{netTotal}}<br>Tax: {{taxTotal}}<br>Total: {{total}}<br>Credit applied: -{{creditApplied}}<br><strong>Amount due: {{amountDue}}</strong><br>Due date: {{dueDate}}<br>Payment reference: <strong>{{paymentReference}}</strong> (please quote it with any transfer)</p>' +
      footer.html,
  },
  {
    key: 'dunning_reminder',
    kind: 'dunning',
    subject: 'Payment reminder: invoice {{invoiceNumber}}',
    text:
      'Hello {{name}},\n\nour records show invoice {{invoiceNumber}}, due on {{dueDate}}, is still open. Amount due: {{amountDue}}. Please disregard this reminder if you have already paid.' +
      footer.text,
    html:
      '<p>Hello {{name}},</p><p>our records show invoice <strong>{{invoiceNumber}}</strong>, due on {{dueDate}}, is still open. Amount due: <strong>{{amountDue}}</strong>.</p><p>Please disregard this reminder if you have already paid.</p>' +
      footer.html,
  },
  {
    key: 'dunning_second',
    kind: 'dunning',
    subject: 'Second reminder: invoice {{invoiceNumber}}',
    text:
      'Hello {{name}},\n\ninvoice {{invoiceNumber}}, due on {{dueDate}}, remains unpaid. A reminder fee of {{fee}} has been added. Amount due now: {{amountDue}}.' +
      footer.text,
    html:
      '<p>Hello {{name}},</p><p>invoice <strong>{{invoiceNumber}}</strong>, due on {{dueDate}}, remains unpaid. A reminder fee of {{fee}} has been added.</p><p>Amount due now: <strong>{{amountDue}}</strong>.</p>' +
      footer.html,
  },
  {
    key: 'dunning_final',
    kind: 'dunning',
    subject: 'Final notice: invoice {{invoiceNumber}}',
    text:
      'Hello {{name}},\n\nthis is our final notice for invoice {{invoiceNumber}} (due {{dueDate}}). Amount due: {{amountDue}}. Without payment the claim will be passed to collections.' +
      footer.text,
    html:
      '<p>Hello {{name}},</p><p>this is our <strong>final notice</strong> for invoice {{invoiceNumber}} (due {{dueDate}}). Amount due: <strong>{{amountDue}}</strong>.</p><p>Without payment the claim will be passed to collections.</p>' +
      footer.html,
  },
  {
    // To the journey's owner, not the customer.
    key: 'sla_breach',
    kind: 'sla_breach',
    subject: 'SLA breached: {{leadName}} in {{stage}}',
    text: 'Hello {{ownerName}},\n\nthe journey of {{leadName}}{{companyText}} is past the SLA of its {{what}} {{stage}}: {{sla}} from {{since}}, due {{deadline}}.{{escalationText}}\n\nJourney {{journeyId}}\n\nLead-to-Cash',
    html: '<p>Hello {{ownerName}},</p><p>the journey of <strong>{{leadName}}</strong>{{companyText}} is past the SLA of its {{what}} <strong>{{stage}}</strong>: {{sla}} from {{since}}, due <strong>{{deadline}}</strong>.{{escalationText}}</p><p>Journey {{journeyId}}</p><p>Lead-to-Cash</p>',
  },
];

export interface Placeholder {
  name: string;
  description: string;
  /** What a preview shows when no sample data is given. */
  sample: string;
}

const lines: Placeholder[] = [
  { name: 'linesText', description: 'the document lines as text', sample: '2 x Security camera (CAM-100) at 120.00 EUR: 240.00 EUR' },
  {
    name: 'linesHtml',
    description: 'the document lines as an HTML table (use {{{linesHtml}}} in the HTML body)',
    sample: '<table><tbody><tr><td>CAM-100</td><td>Security camera</td><td>2</td><td>120.00</td><td>0%</td><td>240.00</td></tr></tbody></table>',
  },
];
const customer: Placeholder = { name: 'name', description: "the customer's name", sample: 'Ada Lovelace' };
const totals: Placeholder[] = [
  { name: 'netTotal', description: 'net total with currency', sample: '240.00 EUR' },
  { name: 'taxTotal', description: 'tax with currency', sample: '45.60 EUR' },
  { name: 'total', description: 'total with currency', sample: '285.60 EUR' },
];

/** The values each kind of email is written with (the activities that send it fill exactly these). */
export const placeholdersByKind: Record<TemplateKind, readonly Placeholder[]> = {
  auto_response: [
    customer,
    { name: 'company', description: "the lead's company", sample: 'Acme GmbH' },
    { name: 'productInterest', description: 'the product interest given', sample: 'cameras' },
    { name: 'interestText', description: '" in <product interest>", or nothing', sample: ' in cameras' },
    { name: 'ownerName', description: 'the owner\'s name, else "Our sales team"', sample: 'Dieter Dach' },
    { name: 'ownerEmail', description: "the owner's email address", sample: 'dieter.dach@lead-to-cash.local' },
  ],
  nurture: [
    customer,
    { name: 'topic', description: 'the product interest given, else "your project"', sample: 'cameras' },
    { name: 'ownerName', description: 'the owner\'s name, else "Our sales team"', sample: 'Dieter Dach' },
    { name: 'ownerEmail', description: "the owner's email address", sample: 'dieter.dach@lead-to-cash.local' },
    {
      name: 'unsubscribeUrl',
      description: 'the link that stops these emails for this address',
      sample: 'https://crm.example.com/v1/unsubscribe/3q2-7wEAAAAAAAAAAAAAAAAAAAAAAAAA',
    },
  ],
  quote: [
    customer,
    { name: 'quoteRef', description: 'quote number and version', sample: 'Q-2026-0001 v1' },
    ...lines,
    ...totals,
    { name: 'validUntil', description: 'the last day the quote is valid', sample: '2026-12-31' },
  ],
  shipment: [
    customer,
    { name: 'orderNumber', description: 'the order number', sample: 'SO-2026-0001' },
    { name: 'carrier', description: 'the carrier', sample: 'DHL' },
    { name: 'trackingNumber', description: 'the tracking number', sample: '00340434161234567890' },
    ...lines,
  ],
  invoice: [
    customer,
    { name: 'invoiceNumber', description: 'the invoice number', sample: 'INV-2026-0001' },
    { name: 'orderNumber', description: 'the order number', sample: 'SO-2026-0001' },
    ...lines,
    ...totals,
    { name: 'dueDate', description: 'the due date', sample: '2026-12-31' },
    { name: 'paymentReference', description: 'the RF creditor reference to quote with the transfer', sample: 'RF94 INV2 0260 0000 1' },
    { name: 'creditApplied', description: "the account's credit settled on the invoice, with currency", sample: '20.00 EUR' },
    { name: 'amountDue', description: 'the total less the credit applied, with currency', sample: '265.60 EUR' },
  ],
  dunning: [
    customer,
    { name: 'invoiceNumber', description: 'the invoice number', sample: 'INV-2026-0001' },
    { name: 'dueDate', description: 'the due date', sample: '2026-12-31' },
    { name: 'amountDue', description: 'what is owed now, fees included', sample: '295.60 EUR' },
    { name: 'fee', description: 'the fee this notice adds', sample: '10.00 EUR' },
    { name: 'level', description: 'the dunning level', sample: '2' },
  ],
  sla_breach: [
    { name: 'ownerName', description: "the journey owner's name", sample: 'Dieter Dach' },
    { name: 'leadName', description: "the lead's name", sample: 'Ada Lovelace' },
    { name: 'companyText', description: '" (<company>)", or nothing', sample: ' (Acme GmbH)' },
    { name: 'what', description: '"stage" or "checkpoint in stage"', sample: 'stage' },
    { name: 'stage', description: 'the stage', sample: 'qualification' },
    { name: 'sla', description: 'the SLA as an ISO-8601 duration', sample: 'P2D' },
    { name: 'since', description: 'when the clock started', sample: '2026-12-01 09:00 UTC' },
    { name: 'deadline', description: 'when it was due', sample: '2026-12-03 09:00 UTC' },
    { name: 'escalationText', description: 'who may now decide too, or nothing', sample: ' The role sales_manager may now decide its checkpoint too.' },
    { name: 'journeyId', description: 'the journey id', sample: 'jrn_0123' },
  ],
};
