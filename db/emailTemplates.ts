// The built-in email templates (text and HTML) for every email the activities send. They are the
// defaults when email_templates has no row of that key, and the demo seed copies them there so ops
// can edit them. Placeholders: {{name}} (escaped in HTML), {{{name}}} (pre-rendered HTML).

export interface EmailTemplate {
  key: string;
  kind: 'auto_response' | 'nurture' | 'quote' | 'shipment' | 'invoice' | 'dunning' | 'sla_breach';
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
