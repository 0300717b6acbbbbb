// Quotes and invoices as PDF, for whoever may see their journey (scoped like the journey view:
// outside the caller's scope the answer is 404, as if the document did not exist).
import { z } from 'zod';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import { invoiceDocument, quoteDocument } from '../../db/documents/documentModels';
import { documentFileName, renderDocument } from '../../db/documents/renderDocument';
import { roles } from '../../machines/roles';
import { assertVisible } from '../scoping';
import { errors, idSchema, type App } from '../schemas';

// Every role may read a document of a journey it sees (scoping decides which).
const ROLES = roles;

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
        const pdf = await renderDocument(found.document);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${documentFileName(found.document)}"`)
          .send(pdf);
      },
    );
  }
}
