// Inbound mail on the real stack: real mails sent with nodemailer to the inbound SMTP server become
// leads with source email (the message on the journey's timeline), once per Message-ID; a reply in a
// thread attaches to its journey, and re-engages it from nurture; oversized and unreadable mails are
// refused with an SMTP error while the server keeps taking mail.
import { connect } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInboundMail, type InboundMailServer } from '../../api/inboundEmail';
import { createHarness, eventually, newLead, settledIn, type Harness } from './harness';

let h: Harness;
let inbound: InboundMailServer;
let transport: Transporter;
let mails = 0;
const tag = () => `${Date.now().toString(36)}${(mails++).toString(36)}`;

beforeAll(async () => {
  h = await createHarness({ worker: true });
  inbound = await startInboundMail(h.deps, { port: 0, log: h.app.log, maxBytes: 64 * 1024 });
  transport = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true });
});
afterAll(async () => {
  transport.close();
  await inbound.close();
  await h.close();
});

/** A mail names no company or country: its lead waits in `lead` for a rep to confirm it. */
const RESTING = ['lead', 'qualification', 'opportunity', 'nurture', 'disqualified'];

interface TimelineEntry {
  type: string;
  stage: string;
  detail: Record<string, unknown>;
}

async function journeyOfMail(messageId: string): Promise<string> {
  return eventually(async () => {
    const row = (await h.deps.db('inbound_messages').where({ message_id: messageId }).first('journey_id')) as { journey_id: string } | undefined;
    expect(row).toBeDefined();
    return (row as { journey_id: string }).journey_id;
  });
}

const count = async (table: string, where: Record<string, unknown>) => Number(((await h.deps.db(table).where(where).count('* as n')) as { n: string }[])[0]?.n);

describe('mail to the inbound address', () => {
  it('starts a journey with source email, sender as name and email, and the message on its timeline', async () => {
    const t = tag();
    const messageId = `<first-${t}@customer.example>`;
    const email = `grace.${t}@navy-${t}.example`;
    await transport.sendMail({
      from: `"Grace Hopper" <${email}>`,
      to: 'leads@inbound.example',
      subject: 'Cameras for our depots',
      text: 'We need 40 cameras by March.',
      messageId,
    });
    const journeyId = await journeyOfMail(messageId);
    const journey = await settledIn(h, journeyId, RESTING);
    expect(journey.lead).toMatchObject({ source: 'email', name: 'Grace Hopper', email, message: 'Cameras for our depots\n\nWe need 40 cameras by March.' });
    const received = (journey.timeline as TimelineEntry[]).filter((e) => e.type === 'email_received');
    expect(received).toHaveLength(1);
    expect(received[0]?.detail).toMatchObject({ kind: 'new_lead', messageId, from: email, fromName: 'Grace Hopper', subject: 'Cameras for our depots' });
    expect(String(received[0]?.detail.text)).toContain('40 cameras');
  });

  it('takes a mail delivered twice (same Message-ID) as one lead', async () => {
    const t = tag();
    const messageId = `<twice-${t}@customer.example>`;
    const email = `twice.${t}@repeat-${t}.example`;
    const mail = { from: email, to: 'leads@inbound.example', subject: 'Price list?', text: 'Please send prices.', messageId };
    await transport.sendMail(mail);
    await transport.sendMail(mail);
    const journeyId = await journeyOfMail(messageId);
    await settledIn(h, journeyId, RESTING);
    expect(await count('inbound_messages', { message_id: messageId })).toBe(1);
    expect(await count('leads', { email })).toBe(1);
    expect(await count('journeys', { lead_email: email })).toBe(1);
  });

  it('attaches a reply in the thread to the existing journey instead of starting another', async () => {
    const t = tag();
    const first = `<thread-${t}@customer.example>`;
    const email = `thread.${t}@thread-${t}.example`;
    await transport.sendMail({ from: email, to: 'leads@inbound.example', subject: 'Lenses', text: 'Do you sell lenses?', messageId: first });
    const journeyId = await journeyOfMail(first);
    await settledIn(h, journeyId, RESTING);

    const reply = `<reply-${t}@customer.example>`;
    await transport.sendMail({
      from: email,
      to: 'leads@inbound.example',
      subject: 'Re: Lenses',
      text: 'Also tripods.',
      messageId: reply,
      inReplyTo: first,
      references: [first],
    });
    expect(await journeyOfMail(reply)).toBe(journeyId);
    const journey = (await h.call('admin', 'GET', `/v1/journeys/${journeyId}`)).json<{ timeline: TimelineEntry[] }>();
    const received = journey.timeline.filter((e) => e.type === 'email_received').map((e) => [e.detail.kind, e.detail.subject]);
    expect(received).toEqual([
      ['new_lead', 'Lenses'],
      ['reply', 'Re: Lenses'],
    ]);
    expect(await count('leads', { email })).toBe(1);
  });

  it('re-engages a journey in nurture when the customer replies to the mail our outbox sent', async () => {
    // A small company asking briefly: it scores below the auto-qualify threshold and waits in qualification.
    const lead = newLead({ companySize: 5, productInterest: undefined, message: 'hi' });
    const created = await h.call('rep', 'POST', '/v1/leads', lead);
    expect([201, 202]).toContain(created.statusCode);
    const journeyId = created.json<{ journeyId: string }>().journeyId;
    const detail = await settledIn(h, journeyId, ['qualification', 'opportunity', 'disqualified']);
    expect(detail.stage).toBe('qualification');
    const nurtured = await h.call('admin', 'POST', `/v1/journeys/${journeyId}/events`, { type: 'NURTURE' });
    expect([200, 202], nurtured.body).toContain(nurtured.statusCode);
    await settledIn(h, journeyId, ['nurture']);
    const autoResponse = (await eventually(async () => {
      const row = (await h.deps.db('email_outbox').where({ journey_id: journeyId, kind: 'auto_response' }).first('message_id', 'subject')) as
        { message_id: string; subject: string } | undefined;
      expect(row).toBeDefined();
      return row;
    })) as { message_id: string; subject: string };

    const reply = `<back-${tag()}@customer.example>`;
    await transport.sendMail({
      from: String(lead.email),
      to: 'leads@inbound.example',
      subject: `Re: ${autoResponse.subject}`,
      text: 'We have budget now.',
      messageId: reply,
      inReplyTo: autoResponse.message_id,
    });
    expect(await journeyOfMail(reply)).toBe(journeyId);
    const after = await settledIn(h, journeyId, ['qualification', 'opportunity']);
    const timeline = after.timeline as (TimelineEntry & { event: string | null; actor: string | null })[];
    expect(timeline.find((e) => e.type === 'email_received')?.detail).toMatchObject({ kind: 'reply', messageId: reply });
    expect(timeline.find((e) => e.type === 'email_received')?.stage).toBe('nurture');
    expect(timeline.some((e) => e.event === 'RE_ENGAGE' && e.actor === 'inbound-email')).toBe(true);
    expect(await count('leads', { email: lead.email })).toBe(1);
  });

  it('refuses oversized and unreadable mails with an SMTP error, and keeps taking mail', async () => {
    const t = tag();
    const big = transport.sendMail({ from: `big.${t}@big-${t}.example`, to: 'leads@inbound.example', subject: 'Big', text: 'x'.repeat(100 * 1024) });
    await expect(big).rejects.toMatchObject({ responseCode: 552 });
    expect(await count('inbound_messages', { from_address: `big.${t}@big-${t}.example` })).toBe(0);

    // No From header at all: the mail names nobody to become a lead.
    const nobody = await rawSmtp([
      'EHLO test',
      'MAIL FROM:<>',
      'RCPT TO:<leads@inbound.example>',
      'DATA',
      `Subject: garbage ${t}\r\n\r\n\u0001\u0002 not a mail\r\n.`,
      'QUIT',
    ]);
    expect(nobody).toMatch(/^550 .*From/m);
    expect(await count('inbound_messages', { subject: `garbage ${t}` })).toBe(0);

    // NUL bytes in its headers (which PostgreSQL cannot store) are dropped, not a reason to fail for ever.
    const nul = await rawSmtp([
      'EHLO test',
      'MAIL FROM:<>',
      'RCPT TO:<leads@inbound.example>',
      'DATA',
      `From: nul.${t}@nul-${t}.example\r\nMessage-ID: <nul-${t}\u0000@customer.example>\r\nIn-Reply-To: <x\u0000y@nowhere.example>\r\nSubject: nul ${t}\r\n\r\nHello\r\n.`,
      'QUIT',
    ]);
    expect(nul).toMatch(/^250 .*/m);
    expect(nul).not.toMatch(/^4\d\d /m);
    expect(await journeyOfMail(`<nul-${t}@customer.example>`)).toMatch(/^jrn_/);

    const fine = `<after-${t}@customer.example>`;
    await transport.sendMail({ from: `after.${t}@after-${t}.example`, to: 'leads@inbound.example', subject: 'Still there?', text: 'Hello', messageId: fine });
    expect(await journeyOfMail(fine)).toMatch(/^jrn_/);
  });
});

/** Speaks SMTP line by line (each line after the server's answer to the one before) and returns the transcript. */
function rawSmtp(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(inbound.port, '127.0.0.1');
    let transcript = '';
    let next = 0;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      transcript += chunk;
      // Answers to EHLO span lines; send the next command once the last line of an answer came.
      if (!/^\d{3} .*\r\n$/m.test(chunk.split('\r\n').slice(-2).join('\r\n'))) return;
      const line = lines[next++];
      if (line !== undefined) socket.write(`${line}\r\n`);
    });
    socket.on('end', () => resolve(transcript));
    socket.on('error', reject);
  });
}
