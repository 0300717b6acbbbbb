// The unsubscribe link of nurture emails: public (the customer has no token), a page first, then the
// opt-out on its button, so a mail scanner that follows links unsubscribes nobody. Using the link
// again changes nothing; an unknown token says so.
import { z } from 'zod';
import { unsubscribe } from '../../db/queries/unsubscribes';
import type { ApiDeps } from '../deps';
import type { App } from '../schemas';

const params = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'the token of an unsubscribe link') });
const html = z.any().describe('text/html');

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>` +
  `<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem"><main><h1>${title}</h1>${body}</main></body></html>`;

const unknownLink = page('Link not recognised', '<p>This unsubscribe link is not one we sent. Please use the link in the email you received.</p>');

export function unsubscribeRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/v1/unsubscribe/:token',
    {
      config: { public: true },
      schema: {
        tags: ['leads'],
        summary: 'The page of a nurture email’s unsubscribe link: a button that stops these emails',
        params,
        produces: ['text/html'],
        response: { 200: html, 404: html },
      },
    },
    async (request, reply) => {
      const known = await deps.db('unsubscribe_tokens').where({ token: request.params.token }).first('token');
      if (!known) return reply.code(404).type('text/html').send(unknownLink);
      return reply
        .type('text/html')
        .send(
          page(
            'Stop these emails?',
            '<p>You will get no more reminders about your inquiry. Replies and documents you asked for still reach you.</p>' +
              '<form method="post" enctype="text/plain"><button type="submit">Unsubscribe</button></form>',
          ),
        );
    },
  );

  app.register(async (scope: App) => {
    // The button posts an empty text/plain body; a mail client's one-click unsubscribe posts a form.
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) => done(null, undefined));
    }
    scope.post(
      '/v1/unsubscribe/:token',
      {
        config: { public: true },
        schema: {
          tags: ['leads'],
          summary: 'Unsubscribe: no further nurture email to this address, from any journey',
          description: 'Sending it again changes nothing. Answers a page for people; the body, if any, is ignored.',
          params,
          produces: ['text/html'],
          response: { 200: html, 404: html },
        },
      },
      async (request, reply) => {
        const done = await unsubscribe(deps.db, request.params.token);
        if (!done) return reply.code(404).type('text/html').send(unknownLink);
        return reply.type('text/html').send(page('You are unsubscribed', '<p>You will get no more reminders about your inquiry.</p>'));
      },
    );
  });
}
