// The nurture cadence on the real stack: a lead put into nurture gets the definition's emails, one
// per firing of the repeating timer, at most `repeat`; the unsubscribe link (public, a page and then
// its button) stops them, for this journey and any later one of the same address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProcess, type ProcessDefinition } from '../../machines/index';
import { mailTo } from '../helpers/activities';
import { createHarness, eventually, newLead, settledIn, type Harness } from './harness';

const EVERY = 'PT2S';
const TIMES = 3;
let h: Harness;

beforeAll(async () => {
  h = await createHarness({ worker: true });
  // A version whose qualification always waits for the rep, with a cadence of seconds.
  const draft = structuredClone(defaultProcess) as ProcessDefinition;
  delete draft.stages.qualification!.checkpoint.auto;
  const touch = draft.stages.nurture!.after!.find((t) => t.name === 'touch')!;
  touch.delay = EVERY;
  touch.repeat = TIMES;
  const created = await h.call('ops', 'POST', '/v1/process-definitions', { definition: draft });
  expect(created.statusCode, created.body).toBe(201);
  const { version } = created.json<{ version: number }>();
  expect((await h.call('ops', 'POST', `/v1/process-definitions/${defaultProcess.key}/versions/${version}/publish`)).statusCode).toBe(200);
});

afterAll(async () => {
  await h?.close();
});

/** A captured lead the rep puts into nurture. */
async function nurtured(lead = newLead()): Promise<string> {
  const created = await h.call('rep', 'POST', '/v1/leads', lead);
  expect([201, 202], created.body).toContain(created.statusCode);
  const { journeyId } = created.json<{ journeyId: string }>();
  // A repeat inquiry of a known address waits at the lead checkpoint as a possible duplicate.
  const captured = await settledIn(h, journeyId, ['lead', 'qualification']);
  if (captured.stage === 'lead') {
    const kept = await h.call('rep', 'POST', `/v1/journeys/${journeyId}/confirmations`, { stage: 'lead', decision: 'approve' });
    expect([200, 202], kept.body).toContain(kept.statusCode);
    await settledIn(h, journeyId, ['qualification']);
  }
  const sent = await h.call('rep', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'NURTURE' });
  expect([200, 202], sent.body).toContain(sent.statusCode);
  await settledIn(h, journeyId, ['nurture']);
  return journeyId;
}

interface OutboxRow {
  to_address: string;
  text_body: string;
  html_body: string;
  sent_at: Date | null;
  step: string;
  message_id: string;
}
const nurtureEmails = (journeyId: string) =>
  h.deps.db('email_outbox').where({ journey_id: journeyId, kind: 'nurture' }).orderBy('created_at') as Promise<OutboxRow[]>;
/** The cadence's runs on the journey's timeline, whether or not they sent anything. */
async function touches(journeyId: string): Promise<number> {
  const rows = (await h.deps.db('journey_audit').where({ journey_id: journeyId, type: 'activity' })) as { detail: { activity: string } }[];
  return rows.filter((r) => r.detail.activity === 'sendNurtureEmail').length;
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the nurture cadence', () => {
  it('sends its emails, each once, at most as many as the definition says, and stays in nurture', async () => {
    const lead = newLead();
    const journeyId = await nurtured(lead);
    await eventually(async () => expect(await touches(journeyId)).toBe(TIMES), 60_000);
    const emails = await eventually(async () => {
      const rows = await nurtureEmails(journeyId);
      expect(rows.every((r) => r.sent_at !== null)).toBe(true);
      return rows;
    });
    expect(emails).toHaveLength(TIMES);
    expect(new Set(emails.map((e) => e.step)).size).toBe(TIMES);
    expect(emails.every((e) => e.to_address === String(lead.email).toLowerCase() || e.to_address === lead.email)).toBe(true);
    expect(emails[0]!.text_body).toMatch(/\/v1\/unsubscribe\/[A-Za-z0-9_-]+/);
    expect(emails[0]!.html_body).toContain('/v1/unsubscribe/');
    // Mail clients offer one-click unsubscribe from the headers: the same link, taking a POST.
    const link = /https?:\/\/\S+\/v1\/unsubscribe\/[A-Za-z0-9_-]+/.exec(emails[0]!.text_body)![0];
    const received = await eventually(async () => {
      const mail = (await mailTo(lead.email as string)).find((m) => m.messageId === emails[0]!.message_id);
      expect(mail).toBeDefined();
      return mail!;
    });
    const headers = received.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    expect(headers).toMatch(new RegExp(`^List-Unsubscribe: <${link.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}>$`, 'mi'));
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);
    // No firing after the last one.
    await pause(5_000);
    expect(await touches(journeyId)).toBe(TIMES);
    const journey = (await h.call('admin', 'GET', `/v1/journeys/${journeyId}`)).json<{ stage: string }>();
    expect(journey.stage).toBe('nurture');
  });

  it('stops at the unsubscribe link: a page first, its button opts out, once, for later journeys too', async () => {
    const lead = newLead();
    const journeyId = await nurtured(lead);
    const [first] = await eventually(async () => {
      const rows = await nurtureEmails(journeyId);
      expect(rows.length).toBeGreaterThan(0);
      return rows;
    }, 30_000);
    const path = /\/v1\/unsubscribe\/[A-Za-z0-9_-]+/.exec(first!.text_body)![0];

    // Following the link (as a mail scanner would) unsubscribes nobody.
    const page = { accept: 'text/html,application/xhtml+xml' };
    expect((await h.call(null, 'GET', path)).json()).toEqual({ status: 'subscribed' });
    const shown = await h.call(null, 'GET', path, undefined, page);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toContain('text/html');
    expect(shown.body).toContain('<form method="post"');
    expect(await h.deps.db('email_unsubscribes').where({ email: String(lead.email).toLowerCase() })).toHaveLength(0);

    const done = await h.call(null, 'POST', path, '', { 'content-type': 'text/plain', ...page });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    const sentBefore = (await nurtureEmails(journeyId)).length;
    // A second use, as a mail client's one-click form post, changes nothing.
    const again = await h.call(null, 'POST', path, 'List-Unsubscribe=One-Click', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ status: 'unsubscribed' });
    expect((await h.call(null, 'GET', path)).json()).toEqual({ status: 'unsubscribed' });
    expect(await h.deps.db('email_unsubscribes').where({ email: String(lead.email).toLowerCase() })).toHaveLength(1);

    // The cadence runs out without another email.
    await eventually(async () => expect(await touches(journeyId)).toBe(TIMES), 60_000);
    expect(sentBefore).toBeLessThan(TIMES);
    expect(await nurtureEmails(journeyId)).toHaveLength(sentBefore);

    // A later inquiry of the same address is not nurtured by email either.
    const later = await nurtured({ ...newLead(), email: lead.email });
    await eventually(async () => expect(await touches(later)).toBeGreaterThan(0), 30_000);
    expect(await nurtureEmails(later)).toHaveLength(0);
  });

  it('answers an unknown link with a page (or an error) that says so, and refuses a malformed one', async () => {
    const unknown = await h.call(null, 'GET', '/v1/unsubscribe/abcdefghijklmnopqrstuvwx', undefined, { accept: 'text/html' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('not one we sent');
    const posted = await h.call(null, 'POST', '/v1/unsubscribe/abcdefghijklmnopqrstuvwx', '', { 'content-type': 'text/plain' });
    expect(posted.statusCode).toBe(404);
    expect(posted.json<{ error: { code: string } }>().error.code).toBe('not_found');
    const malformed = await h.call(null, 'GET', '/v1/unsubscribe/short');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('params.token');
  });
});
