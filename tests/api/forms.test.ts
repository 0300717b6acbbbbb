// Web forms on the real stack: ops make a form key, a page posts leads to the public route without
// a token (JSON or urlencoded), and each lead starts a journey with source web_form whose timeline
// names the form. CORS only for the form's origins, a budget per address, the honeypot, retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventually, newLead, settledIn, type Harness } from './harness';

const SITE = 'https://www.acme.example';
let h: Harness;
let formKey: string;
let addresses = 0;
/** A client address of its own per request group, so the per-address budget is this test's alone. */
const nextAddress = () => `198.51.100.${++addresses}`;

beforeAll(async () => {
  h = await createHarness({ worker: true, formRateLimit: { max: 3, windowMs: 60_000 } });
  const made = await h.call('ops', 'POST', '/v1/forms', { name: 'Contact us', allowedOrigins: [SITE, 'HTTP://Localhost:8080'] });
  expect(made.statusCode, made.body).toBe(201);
  formKey = made.json<{ formKey: string }>().formKey;
});
afterAll(async () => {
  await h.close();
});

function post(payload: string, headers: Record<string, string>, remoteAddress = nextAddress()) {
  return h.app.inject({ method: 'POST', url: `/v1/forms/${formKey}/leads`, payload, headers, remoteAddress });
}
const json = (lead: Record<string, unknown>, headers: Record<string, string> = {}, remoteAddress?: string) =>
  post(JSON.stringify(lead), { 'content-type': 'application/json', ...headers }, remoteAddress);

function formFields(lead: Record<string, unknown>): Record<string, unknown> {
  const { source: _source, ...fields } = lead;
  return fields;
}

describe('form keys', () => {
  it('are made and listed by ops and admin only, with origins kept as browsers send them', async () => {
    const made = await h.call('admin', 'POST', '/v1/forms', { name: 'Trade fair', allowedOrigins: ['https://Fair.example:443', 'http://fair.example:8080'] });
    expect(made.statusCode, made.body).toBe(201);
    const form = made.json<{ formKey: string; allowedOrigins: string[]; createdBy: string }>();
    expect(form.allowedOrigins).toEqual(['https://fair.example', 'http://fair.example:8080']);
    expect(form.createdBy).toBe('usr-admin');
    expect(form.formKey).toMatch(/^frm_[A-Za-z0-9_-]{22}$/);
    expect(form.formKey).not.toBe(formKey);

    const listed = await h.call('ops', 'GET', '/v1/forms');
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ formKey: string }[]>().map((f) => f.formKey)).toEqual(expect.arrayContaining([formKey, form.formKey]));

    for (const persona of ['rep', 'manager', 'finance', 'warehouse', 'viewer'] as const) {
      expect((await h.call(persona, 'POST', '/v1/forms', { name: 'x', allowedOrigins: [SITE] })).statusCode, persona).toBe(403);
      expect((await h.call(persona, 'GET', '/v1/forms')).statusCode, persona).toBe(403);
    }
    expect((await h.call(null, 'GET', '/v1/forms')).statusCode).toBe(401);
  });

  it('refuses an origin with a path, without a scheme or with a bad port, naming the field', async () => {
    for (const [origin, index] of [
      ['https://www.acme.example/contact', 1],
      ['www.acme.example', 1],
      ['ftp://acme.example', 1],
      ['https://acme.example:70000', 1],
    ] as const) {
      const refused = await h.call('ops', 'POST', '/v1/forms', { name: 'Bad', allowedOrigins: [SITE, origin] });
      expect(refused.statusCode, origin).toBe(400);
      expect(refused.json().error.details.issues.map((i: { path: string }) => i.path)).toContain(`body.allowedOrigins.${index}`);
    }
    const none = await h.call('ops', 'POST', '/v1/forms', { name: 'Bad', allowedOrigins: [] });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.details.issues[0].path).toBe('body.allowedOrigins');
    const blank = await h.call('ops', 'POST', '/v1/forms', { name: ' ', allowedOrigins: [SITE] });
    expect(blank.json().error.details.issues[0].path).toBe('body.name');
  });
});

describe('POST /v1/forms/{formKey}/leads', () => {
  it('starts a journey from a JSON post without a token, with source web_form and the form on its timeline', async () => {
    const lead = newLead();
    const answer = await json(formFields(lead), { origin: SITE });
    expect(answer.statusCode, answer.body).toBe(202);
    expect(answer.headers['access-control-allow-origin']).toBe(SITE);
    const { journeyId } = answer.json<{ journeyId: string }>();
    const journey = await settledIn(h, journeyId, ['qualification', 'opportunity', 'nurture', 'disqualified']);
    const captured = journey.lead as { source: string; email: string; name: string };
    expect(captured).toMatchObject({ source: 'web_form', email: lead.email, name: lead.name });
    const timeline = journey.timeline as { type: string; detail: Record<string, unknown> }[];
    expect(timeline.find((e) => e.type === 'form_submitted')?.detail).toEqual({ formKey, formName: 'Contact us', origin: SITE });
  });

  it('reads a plain HTML form post (urlencoded), empty fields left out and the company size a number', async () => {
    const lead = newLead();
    const body = new URLSearchParams({
      name: String(lead.name),
      email: String(lead.email),
      company: String(lead.company),
      companySize: '250',
      country: 'DE',
      phone: '',
      message: 'Please call me back about cameras & lenses.',
    }).toString();
    const answer = await post(body, { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:8080' });
    expect(answer.statusCode, answer.body).toBe(202);
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:8080');
    const journey = await settledIn(h, answer.json<{ journeyId: string }>().journeyId, ['qualification', 'opportunity', 'nurture', 'disqualified']);
    expect(journey.lead).toMatchObject({
      source: 'web_form',
      email: lead.email,
      companySize: 250,
      phone: null,
      message: 'Please call me back about cameras & lenses.',
    });

    // A browser posting the plain form is shown a page, not JSON.
    const visitor = newLead();
    const page = await post(new URLSearchParams({ name: String(visitor.name), email: String(visitor.email) }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      origin: SITE,
    });
    expect(page.statusCode, page.body).toBe(202);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<h1>Thank you</h1>');
    await eventually(async () => expect(await h.deps.db('journeys').where({ lead_email: visitor.email }).count('* as n')).toEqual([{ n: '1' }]));

    const bad = await post(new URLSearchParams({ name: 'Ada', email: 'not an address', companySize: 'many' }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['body.companySize', 'body.email']);
  });

  it('answers CORS only for allowed origins: preflight and post; another origin is refused and stores nothing', async () => {
    const preflight = await h.app.inject({
      method: 'OPTIONS',
      url: `/v1/forms/${formKey}/leads`,
      headers: { origin: SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(SITE);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('content-type');

    const stranger = 'https://evil.example';
    const refusedPreflight = await h.app.inject({
      method: 'OPTIONS',
      url: `/v1/forms/${formKey}/leads`,
      headers: { origin: stranger, 'access-control-request-method': 'POST' },
    });
    expect(refusedPreflight.statusCode).toBe(403);
    expect(refusedPreflight.headers['access-control-allow-origin']).toBeUndefined();

    const lead = newLead();
    const refused = await json(formFields(lead), { origin: stranger });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.json().error.message).toContain(stranger);
    expect(await h.deps.db('leads').where({ email: lead.email }).count('* as n')).toEqual([{ n: '0' }]);
    expect(await h.deps.db('journeys').where({ lead_email: lead.email }).count('* as n')).toEqual([{ n: '0' }]);
  });

  it('answers a filled honeypot like a success and drops it: no journey, no lead', async () => {
    const lead = newLead();
    const answer = await json({ ...formFields(lead), website: 'http://spam.example' }, { origin: SITE });
    expect(answer.statusCode).toBe(202);
    const { journeyId } = answer.json<{ journeyId: string }>();
    expect(journeyId).toMatch(/^jrn_/);
    expect(await h.deps.db('journeys').where({ id: journeyId }).count('* as n')).toEqual([{ n: '0' }]);
    expect(await h.deps.db('journeys').where({ lead_email: lead.email }).count('* as n')).toEqual([{ n: '0' }]);
    expect(await h.deps.db('form_submissions').where({ journey_id: journeyId }).count('* as n')).toEqual([{ n: '0' }]);
    expect((await h.call('admin', 'GET', `/v1/journeys/${journeyId}`)).statusCode).toBe(404);
  });

  it('limits submissions per address: 429 with Retry-After once the budget is spent, other addresses unaffected', async () => {
    const address = nextAddress();
    for (let i = 0; i < 3; i++) expect((await json({ ...formFields(newLead()), website: 'bot' }, {}, address)).statusCode).toBe(202);
    const limited = await json(formFields(newLead()), {}, address);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error.code).toBe('rate_limited');
    expect((await json({ ...formFields(newLead()), website: 'bot' }, {}, nextAddress())).statusCode).toBe(202);
  });

  it('answers 404 for an unknown form key, with or without an origin', async () => {
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/v1/forms/frm_AAAAAAAAAAAAAAAAAAAAAA/leads',
      payload: formFields(newLead()),
      headers: { origin: SITE },
      remoteAddress: nextAddress(),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['access-control-allow-origin']).toBeUndefined();
    // A key no form can have is not looked up: refused for its shape, never a database error.
    const odd = await h.app.inject({ method: 'OPTIONS', url: '/v1/forms/a%00b%27/leads', headers: { origin: SITE }, remoteAddress: nextAddress() });
    expect(odd.statusCode).toBeLessThan(500);
    const oddPost = await h.app.inject({ method: 'POST', url: '/v1/forms/a%00b%27/leads', payload: formFields(newLead()), remoteAddress: nextAddress() });
    expect(oddPost.statusCode).toBe(400);
  });

  it('names the same journey for a retry with the same Idempotency-Key, and refuses the key with another body', async () => {
    const lead = formFields(newLead());
    const first = await json(lead, { 'idempotency-key': 'form-retry-1' });
    const again = await json(lead, { 'idempotency-key': 'form-retry-1' });
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await json(formFields(newLead()), { 'idempotency-key': 'form-retry-1' });
    expect(other.statusCode).toBe(422);
    await settledIn(h, first.json<{ journeyId: string }>().journeyId, ['qualification', 'opportunity', 'nurture', 'disqualified']);
    expect(await h.deps.db('leads').where({ email: lead.email }).count('* as n')).toEqual([{ n: '1' }]);
  });
});
