// Quotes, invoices and credit notes as PDF (pdfkit, built-in Helvetica): seller, customer, lines
// with discounts, tax per rate, totals, credit applied and the amount due, the validity or due date,
// and the payment reference.
import PDFDocument from 'pdfkit';
import { formatCents, toCents } from '../money';

export interface DocumentLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: string;
  discountPct: string;
  net: string;
  taxRatePct: string;
  tax: string;
}

export interface CommercialDocument {
  kind: 'Quotation' | 'Invoice' | 'Credit note';
  number: string;
  issuedOn: string;
  /** `address`: the printed lines of the buyer's billing address (an invoice's, as issued); empty when none is known. */
  customer: { company: string; contact: string; email: string; country: string | null; address: string[] };
  currency: string;
  lines: DocumentLine[];
  netTotal: string;
  taxTotal: string;
  total: string;
  /** An invoice settled in part by the account's credit at issue: the credit and what is left to pay. */
  creditApplied: { credit: string; amountDue: string } | null;
  /** "Valid until 2026-04-09", "Due on 2026-04-09", or a credit note's "Reason: …". */
  dateLine: string;
  paymentReference: string | null;
}

export const SELLER = {
  name: 'Lead-to-Cash Demo GmbH',
  address: 'Musterstrasse 1, 10115 Berlin, DE',
  vatId: 'DE123456789',
  iban: 'DE89 3704 0044 0532 0130 00',
};

/** "19.0000" → "19 %", "12.5000" → "12.5 %" (text only, no arithmetic). */
const pct = (value: string) => `${value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')} %`;

/** The attachment's file name: INV-2026-000001.pdf. */
export function documentFileName(doc: Pick<CommercialDocument, 'number'>): string {
  return `${doc.number.replace(/[^\w.-]+/g, '_')}.pdf`;
}

export function renderDocument(doc: CommercialDocument): Promise<Buffer> {
  // Dated by the document, not the clock: the same document renders to the same bytes, so the
  // emailed PDF and the one served later are one file.
  const info = { Title: `${doc.kind} ${doc.number}`, Author: SELLER.name, CreationDate: new Date(`${doc.issuedOn}T00:00:00Z`) };
  const pdf = new PDFDocument({ size: 'A4', margin: 50, info });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  pdf.font('Helvetica-Bold').fontSize(10).text(SELLER.name).font('Helvetica').text(SELLER.address).text(`VAT ID ${SELLER.vatId}`);
  pdf.moveDown().text(doc.customer.company).text(doc.customer.contact);
  for (const line of doc.customer.address) pdf.text(line);
  pdf.text(doc.customer.email);
  if (doc.customer.country && doc.customer.address.length === 0) pdf.text(doc.customer.country);
  pdf
    .moveDown()
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(`${doc.kind} ${doc.number}`)
    .font('Helvetica')
    .fontSize(10)
    .text(`Date: ${doc.issuedOn}`)
    .text(doc.dateLine);

  pdf.moveDown();
  const columns = [50, 110, 280, 320, 385, 430, 480];
  const row = (cells: string[], bold = false) => {
    const y = pdf.y;
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    cells.forEach((cell, i) => pdf.text(cell, columns[i] as number, y, { width: (columns[i + 1] ?? 545) - (columns[i] as number) - 4, lineBreak: true }));
    pdf.x = 50;
    pdf.moveDown(0.4);
  };
  row(['SKU', 'Item', 'Qty', 'Unit price', 'Disc.', 'Tax', `Net (${doc.currency})`], true);
  for (const l of doc.lines) row([l.sku, l.name, String(l.quantity), l.unitPrice, pct(l.discountPct), pct(l.taxRatePct), l.net]);

  const byRate = new Map<string, { net: bigint; tax: bigint }>();
  for (const l of doc.lines) {
    const sum = byRate.get(l.taxRatePct) ?? { net: 0n, tax: 0n };
    byRate.set(l.taxRatePct, { net: sum.net + toCents(l.net), tax: sum.tax + toCents(l.tax) });
  }
  pdf.moveDown().font('Helvetica').text(`Net total: ${doc.netTotal} ${doc.currency}`, { align: 'right' });
  for (const [rate, sum] of byRate) pdf.text(`Tax ${pct(rate)} on ${formatCents(sum.net)}: ${formatCents(sum.tax)} ${doc.currency}`, { align: 'right' });
  pdf.text(`Tax total: ${doc.taxTotal} ${doc.currency}`, { align: 'right' });
  pdf.font('Helvetica-Bold').text(`Total: ${doc.total} ${doc.currency}`, { align: 'right' }).font('Helvetica');
  if (doc.creditApplied) {
    // Hyphen, not U+2212: the built-in fonts encode WinAnsi only.
    pdf.text(`Credit applied: -${doc.creditApplied.credit} ${doc.currency}`, { align: 'right' });
    pdf.font('Helvetica-Bold').text(`Amount due: ${doc.creditApplied.amountDue} ${doc.currency}`, { align: 'right' }).font('Helvetica');
  }

  if (doc.paymentReference) {
    pdf
      .moveDown()
      .text(`Please transfer to IBAN ${SELLER.iban} quoting the payment reference`)
      .font('Helvetica-Bold')
      .text(doc.paymentReference)
      .font('Helvetica');
  }
  pdf.end();
  return done;
}
