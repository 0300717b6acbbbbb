// A quote's or an invoice's PDF as an email attachment: the same document the API serves at
// /v1/documents, rendered inside the step's transaction and stored with the outbox row.
import type { Knex } from 'knex';
import { invoiceDocument, quoteDocument } from '../../db/documents/documentModels';
import { documentFileName, renderDocument } from '../../db/documents/renderDocument';
import type { EmailAttachment } from '../../db/queries/outbox';
import { notFound } from '../support/failures';

export async function documentAttachment(trx: Knex, kind: 'quote' | 'invoice', id: string): Promise<EmailAttachment> {
  const found = kind === 'quote' ? await quoteDocument(trx, id) : await invoiceDocument(trx, id);
  if (!found) throw notFound(kind, id);
  return { filename: documentFileName(found.document), contentType: 'application/pdf', content: await renderDocument(found.document) };
}
