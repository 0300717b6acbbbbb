// Web forms (DESIGN.md section 7.5): ops make a form key for a company's web page, and the page posts
// leads to the public POST /v1/forms/{formKey}/leads, without a token. Only the form's allowed origins
// may post from a browser (CORS), each address has a budget of submissions, and a filled honeypot
// field is answered like a success and dropped. The lead takes the capture path of POST /v1/leads.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createForm, findForm, listForms, recordFormSubmission, type LeadForm } from '../../db/queries/forms';
import { newId } from '../../db/ids';
import { text, textBounds } from '../../machines/schema/bounds';
import { leadInputSchema } from '../../machines/index';
import { userOf } from '../auth';
import { captureFromChannel } from '../channelCapture';
import type { ApiDeps } from '../deps';
import { ApiError, badRequest, forbidden, notFound } from '../errors';
import { installFormBody } from '../formBody';
import { journeyIdOf } from '../idempotency';
import { ownBudget, type RateLimitOptions } from '../rateLimit';
import { distinct, errors, iso, timestamp, type App } from '../schemas';

const MAKERS = ['ops', 'admin'] as const;
const HONEYPOT = 'website';
export const defaultFormRateLimit: Pick<RateLimitOptions, 'max' | 'windowMs'> = { max: 10, windowMs: 60_000 };

const formSchema = z.object({
  formKey: z.string().describe("the form's public address: the page posts to /v1/forms/{formKey}/leads"),
  name: z.string(),
  allowedOrigins: z.array(z.string()),
  createdBy: z.string(),
  createdAt: timestamp,
});

const newForm = z.strictObject({
  name: text(textBounds.formName),
  allowedOrigins: distinct(z.array(text(textBounds.formOrigin)).min(1).max(20), 'allowed origins').describe(
    'the pages that may post to the form, each scheme://host[:port] without path, as browsers send it in the Origin header',
  ),
});

const formParams = z.strictObject({ formKey: z.string().min(1).max(48).describe('the key POST /v1/forms answered') });

const formLead = z.strictObject({
  ...leadInputSchema.omit({ source: true }).shape,
  [HONEYPOT]: z
    .string()
    .max(2000)
    .optional()
    .describe('honeypot: hide this field from people (e.g. with CSS); a bot fills it, and such a submission is answered 202 and dropped'),
});

const formReceived = z.object({
  journeyId: z.string().describe('the journey the lead started (with the same Idempotency-Key, the same one)'),
});

/** What a visitor sees after a plain HTML form's post: the browser shows the answer as a page. */
const THANK_YOU_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<title>Thank you</title></head><body><main><h1>Thank you</h1><p>We received your message and will get back to you soon.</p></main></body></html>';

/** A browser navigating with a plain form (no script): it takes a page, not JSON. */
function wantsPage(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded') && (request.headers.accept ?? '').includes('text/html');
}

const view = (form: LeadForm): z.infer<typeof formSchema> => ({
  formKey: form.key,
  name: form.name,
  allowedOrigins: form.allowedOrigins,
  createdBy: form.createdBy,
  createdAt: iso(form.createdAt) ?? '',
});

/** How browsers send an origin: lower case, no default port. */
function originOf(value: string, index: number): string {
  try {
    return new URL(value).origin;
  } catch {
    throw badRequest(`${value} is not an origin`, [{ path: `body.allowedOrigins.${index}`, message: 'not an origin a browser could send' }]);
  }
}

function requestOrigin(request: FastifyRequest): string | null {
  const origin = request.headers.origin;
  return typeof origin === 'string' ? origin : null;
}

const FORM_KEY = /^[A-Za-z0-9_-]{1,48}$/;

/** The form of the request's path, looked up once per request (hooks and handler share it). */
const formsOfRequests = new WeakMap<FastifyRequest, LeadForm | null>();

export function formRoutes(app: App, deps: ApiDeps, limit = defaultFormRateLimit): void {
  const { db } = deps;

  async function formOf(request: FastifyRequest): Promise<LeadForm | null> {
    if (formsOfRequests.has(request)) return formsOfRequests.get(request) ?? null;
    const key = (request.params as { formKey?: unknown }).formKey;
    // Looked up before the request is validated (an Origin is refused first): only what a key can be reaches the database.
    const form = typeof key === 'string' && FORM_KEY.test(key) ? ((await findForm(db, key)) ?? null) : null;
    formsOfRequests.set(request, form);
    return form;
  }

  /** An Origin the form does not allow is refused before anything else; none (a server, curl) passes. */
  async function checkOrigin(request: FastifyRequest): Promise<void> {
    const origin = requestOrigin(request);
    const form = await formOf(request);
    if (origin === null || !form || form.allowedOrigins.includes(origin)) return;
    throw forbidden(`the origin ${origin} may not post to this form; ops add it to the form's allowed origins`, { origin });
  }

  async function allowOrigin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    void reply.header('vary', 'Origin');
    const origin = requestOrigin(request);
    const form = formsOfRequests.get(request);
    if (origin !== null && form?.allowedOrigins.includes(origin)) void reply.header('access-control-allow-origin', origin);
  }

  app.post(
    '/v1/forms',
    {
      config: { roles: MAKERS },
      schema: {
        tags: ['forms'],
        summary: 'Make a web form key for a company web page',
        description: 'The key is random and unguessable. Origins are kept as browsers send them (lower case, without a default port).',
        body: newForm,
        response: { 201: formSchema, ...errors(400, 403) },
      },
    },
    async (request, reply) => {
      const allowedOrigins = [...new Set(request.body.allowedOrigins.map((origin, i) => originOf(origin, i)))];
      const form = await createForm(db, { name: request.body.name, allowedOrigins, createdBy: userOf(request).id });
      void reply.code(201);
      return view(form);
    },
  );

  app.get(
    '/v1/forms',
    {
      config: { roles: MAKERS },
      schema: { tags: ['forms'], summary: 'The web forms, newest first', response: { 200: z.array(formSchema), ...errors(403) } },
    },
    async () => (await listForms(db)).map(view),
  );

  // A scope of its own: only this route reads application/x-www-form-urlencoded (a plain HTML form's post).
  void app.register(async (scope) => {
    installFormBody(scope, ['companySize']);
    const spendBudget = ownBudget(scope, limit, (request) => `form:${request.ip}`);
    const forms = scope.withTypeProvider<ZodTypeProvider>();

    forms.post(
      '/v1/forms/:formKey/leads',
      {
        config: { public: true, idempotencyScope: (request) => `form:${String((request.params as { formKey?: unknown }).formKey)}` },
        onRequest: checkOrigin,
        onSend: async (request, reply) => allowOrigin(request, reply),
        schema: {
          tags: ['forms'],
          summary: "A web form's lead: public, no token; JSON or application/x-www-form-urlencoded",
          description:
            "Starts the lead's journey with source web_form and answers 202 at once (capture, dedupe and the auto-response run in the journey; nothing about known people is answered to the public). " +
            `A browser may post only from the form's allowed origins (Access-Control-Allow-Origin names it; another Origin is 403). At most ${limit.max} submissions per address every ${limit.windowMs / 1000} s, then 429 with Retry-After. ` +
            `A filled \`${HONEYPOT}\` field is answered 202 and dropped. With an Idempotency-Key a retry names the same journey, never a second one. ` +
            'In a urlencoded body, empty fields are left out and companySize is read as a number; a browser posting a plain HTML form (Accept: text/html) gets a thank-you page instead of JSON.',
          security: [],
          consumes: ['application/json', 'application/x-www-form-urlencoded'],
          params: formParams,
          body: formLead,
          response: { 202: formReceived, ...errors(400, 403, 404, 415, 422, 503) },
        },
      },
      async (request, reply) => {
        await spendBudget(request, reply);
        const form = await formOf(request);
        if (!form) throw notFound('the form');
        // The page is text, sent as is: the JSON schema of the answer does not apply to it.
        const answer = (journeyId: string) =>
          wantsPage(request)
            ? reply
                .code(202)
                .type('text/html; charset=utf-8')
                .send(THANK_YOU_PAGE as never)
            : reply.code(202).send({ journeyId });
        const { [HONEYPOT]: honeypot, ...fields } = request.body;
        // A bot filled the hidden field: it learns nothing, nothing is stored.
        if (honeypot !== undefined && honeypot.trim() !== '') return answer(newId('jrn'));
        const journeyId = journeyIdOf(request);
        const { stage } = await captureFromChannel(deps, journeyId, { ...fields, source: 'web_form' });
        await recordFormSubmission(db, { journeyId, formKey: form.key, origin: requestOrigin(request), stage });
        return answer(journeyId);
      },
    );

    // The browser's preflight before a JSON post; answered for the form's allowed origins only.
    forms.options('/v1/forms/:formKey/leads', { config: { public: true }, onRequest: checkOrigin, schema: { hide: true } }, async (request, reply) => {
      const form = await formOf(request);
      if (!form) throw notFound('the form');
      if (requestOrigin(request) === null) throw new ApiError(400, 'invalid_request', 'a preflight names its Origin');
      return reply
        .code(204)
        .header('access-control-allow-origin', requestOrigin(request))
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type, idempotency-key')
        .header('access-control-max-age', '600')
        .header('vary', 'Origin')
        .send();
    });
  });
}
