// The unsubscribe link of nurture emails: public (the customer has no token), a page first, then the
// opt-out on its button, so a mail scanner that follows links unsubscribes nobody. Using the link
// again changes nothing. A browser (Accept: text/html) gets pages; any other client JSON.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { unsubscribe, unsubscribeLink } from '../../db/queries/unsubscribes';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import { errors, type App } from '../schemas';

const params = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'the token of an unsubscribe link') });
const status = z
  .strictObject({ status: z.enum(['subscribed', 'unsubscribed']) })
  .describe('for a browser (Accept: text/html) an HTML page instead: the question with its button, or the confirmation');

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>` +
  `<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem"><main><h1>${title}</h1>${body}</main></body></html>`;

const pages = {
  unknown: page('Link not recognised', '<p>This unsubscribe link is not one we sent. Please use the link in the email you received.</p>'),
  ask: page(
    'Stop these emails?',
    '<p>You will get no more reminders about your inquiry. Replies and documents you asked for still reach you.</p>' +
      '<form method="post" enctype="text/plain"><button type="submit">Unsubscribe</button></form>',
  ),
  done: page('You are unsubscribed', '<p>You will get no more reminders about your inquiry.</p>'),
};

const wantsPage = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');
/** Pages are text, sent as is: the JSON schema of the answer does not apply to them. */
function sendPage(reply: { code(status: number): FastifyReply }, which: keyof typeof pages): FastifyReply {
  return reply
    .code(which === 'unknown' ? 404 : 200)
    .type('text/html; charset=utf-8')
    .send(pages[which]);
}

export function unsubscribeRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/v1/unsubscribe/:token',
    {
      config: { public: true },
      schema: {
        tags: ['leads'],
        summary: 'The page of a nurture email’s unsubscribe link: a button that stops these emails',
        security: [],
        params,
        produces: ['application/json', 'text/html'],
        response: { 200: status, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const link = await unsubscribeLink(deps.db, request.params.token);
      if (wantsPage(request)) return sendPage(reply, !link ? 'unknown' : link.unsubscribed ? 'done' : 'ask');
      if (!link) throw notFound('this unsubscribe link');
      return { status: link.unsubscribed ? ('unsubscribed' as const) : ('subscribed' as const) };
    },
  );

  void app.register(async (scope: App) => {
    // The button posts an empty text/plain body; a mail client's one-click unsubscribe posts a form.
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) => done(null, undefined));
    }
    scope.post(
      '/v1/unsubscribe/:token',
      {
        // Unsubscribing twice changes nothing anyway; a key is still honoured, as on every POST.
        config: { public: true, idempotencyScope: (request) => `unsubscribe:${String((request.params as { token?: unknown }).token)}` },
        schema: {
          tags: ['leads'],
          summary: 'Unsubscribe: no further nurture email to this address, from any journey',
          description: 'Sending it again changes nothing. The body, if any, is ignored.',
          security: [],
          params,
          produces: ['application/json', 'text/html'],
          response: { 200: status, ...errors(400, 404) },
        },
      },
      async (request, reply) => {
        const done = await unsubscribe(deps.db, request.params.token);
        if (wantsPage(request)) return sendPage(reply, done ? 'done' : 'unknown');
        if (!done) throw notFound('this unsubscribe link');
        return { status: 'unsubscribed' as const };
      },
    );
  });
}
