// Quotes and invoices as PDF, for whoever may see their journey (scoped like the journey view:
// outside the caller's scope the answer is 404, as if the document did not exist); credit notes for
// finance, who make them.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import { creditNoteDocument, invoiceDocument, quoteDocument } from '../../db/documents/documentModels';
import { documentFileName, renderDocument, type CommercialDocument } from '../../db/documents/renderDocument';
import { roles } from '../../machines/roles';
import { assertVisible } from '../scoping';
import { errors, idSchema, type App } from '../schemas';

// Every role may read a document of a journey it sees (scoping decides which).
const ROLES = roles;
const CREDIT_NOTE_READERS = ['finance', 'admin'] as const;

export function documentRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;
  const kinds = { quotes: quoteDocument, invoices: invoiceDocument } as const;
  for (const [kind, load] of Object.entries(kinds)) {
    app.get(
      `/v1/documents/${kind}/:id.pdf`,
      {
        config: { roles: ROLES },
        schema: {
          tags: ['documents'],
          summary: `The ${kind === 'quotes' ? 'quote' : 'invoice'} as PDF: seller, customer, lines, discounts, tax per rate, totals, ${kind === 'quotes' ? 'validity' : 'due date and RF payment reference'}`,
          params: z.strictObject({ id: idSchema }),
          produces: ['application/pdf'],
          response: { 200: z.any().describe('application/pdf'), ...errors(400, 403, 404) },
        },
      },
      async (request, reply) => {
        const found = await load(db, request.params.id);
        if (!found) throw notFound(`${kind.slice(0, -1)} ${request.params.id}`);
        await assertVisible(db, userOf(request), found.journeyId);
        return sendPdf(reply, found.document);
      },
    );
  }

  app.get(
    '/v1/documents/credit-notes/:id.pdf',
    {
      config: { roles: CREDIT_NOTE_READERS },
      schema: {
        tags: ['documents'],
        summary: "A credit note as PDF: seller, customer, the refunded amount and the refund's reason",
        params: z.strictObject({ id: idSchema }),
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf'), ...errors(400, 403, 404) },
      },
    },
    async (request, reply) => {
      const found = await creditNoteDocument(db, request.params.id);
      if (!found) throw notFound(`credit note ${request.params.id}`);
      return sendPdf(reply, found.document);
    },
  );
}

async function sendPdf(reply: FastifyReply, document: CommercialDocument): Promise<FastifyReply> {
  const pdf = await renderDocument(document);
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${documentFileName(document)}"`)
    .send(pdf);
}
