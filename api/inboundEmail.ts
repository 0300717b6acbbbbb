// Mail sent to the inbound address (DESIGN.md section 7.5): a new mail becomes a lead with source
// email through the same capture path as a web form (api/channelCapture.ts); a reply in the thread of
// a journey (In-Reply-To or References naming a mail we received or our outbox sent) is kept on that
// journey's timeline instead, and re-engages a journey resting in nurture. Every mail is stored once
// by its Message-ID, so a mail delivered twice changes nothing the second time.
//
// It runs in the API process, beside the restock sweep: like HTTP it is a front door for outside
// input, and it needs what the API holds (PostgreSQL, the Temporal client that starts journeys and
// sends events). The worker only runs journeys, and a process of its own would be one more to supervise.
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Db } from '../db/connection';
import { newId } from '../db/ids';
import { leadInputSchema, type LeadInput } from '../machines/index';
import { textBounds } from '../machines/schema/bounds';
import { channelJourneyId, captureFromChannel } from './channelCapture';
import type { ApiDeps } from './deps';
import { toApiError } from './errors';
import { sendEvent } from './journeyClient';

/** The largest mail taken: inquiries are text; attachments are not kept. */
const MAX_MAIL_BYTES = 1024 * 1024;
const MAX_TEXT = 20_000;
const MAX_SUBJECT = 300;
/** Who sends RE_ENGAGE for a reply: the channel, in the role the nurture checkpoint names. */
const INBOUND_ACTOR = { id: 'inbound-email', roles: ['sales_rep'] };

export interface InboundMailServer {
  port: number;
  close(): Promise<void>;
}

/** An SMTP answer: permanent (5xx, the sender gives up) or temporary (4xx, the sender tries again). */
class MailRefusal extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

const clip = (value: string, max: number) => [...value].slice(0, max).join('');
// PostgreSQL text holds no NUL character.
const storable = (value: string) => value.replaceAll('\u0000', '');

function sender(mail: ParsedMail): { address: string; name: string | null } {
  const from = (mail.from as AddressObject | undefined)?.value[0];
  const address = from?.address ? storable(from.address).trim() : '';
  if (!address) throw new MailRefusal(550, '5.1.7 The mail names no sender address in From');
  return { address, name: from?.name?.trim() ? clip(storable(from.name.trim()), textBounds.personName.maxLength) : null };
}

/** The Message-IDs the mail answers, newest first (In-Reply-To, then References from the end). */
function threadIds(mail: ParsedMail): string[] {
  const references = typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []);
  return [...new Set([...(mail.inReplyTo ? mail.inReplyTo.split(/\s+/) : []), ...references.reverse()].map(storable))].filter((id) => id && id.length <= 300);
}

/** The journey of the thread the mail answers: a mail we received, or one our outbox sent. */
async function threadJourney(db: Db, ids: string[]): Promise<{ id: string; stage: string } | null> {
  if (ids.length === 0) return null;
  const received = (await db('inbound_messages').whereIn('message_id', ids).select('journey_id')) as { journey_id: string }[];
  const sent = (await db('email_outbox').whereIn('message_id', ids).select('journey_id')) as { journey_id: string }[];
  const journeyId = received[0]?.journey_id ?? sent[0]?.journey_id;
  if (!journeyId) return null;
  const row = (await db('journeys').where({ id: journeyId }).first('id', 'stage')) as { id: string; stage: string } | undefined;
  return row ?? null;
}

function leadOf(from: { address: string; name: string | null }, subject: string, text: string): LeadInput {
  const parsed = leadInputSchema.safeParse({
    source: 'email',
    name: from.name ?? from.address.split('@')[0],
    email: from.address,
    message: clip(`${subject}\n\n${text}`.trim(), textBounds.leadMessage.maxLength),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MailRefusal(
      550,
      `5.6.0 The mail cannot become a lead: ${issue?.path.join('.') === 'email' ? 'From' : 'sender name'} ${issue?.message ?? 'is not valid'}`,
    );
  }
  return parsed.data;
}

/** Takes one parsed mail: a new lead, a reply on its journey, or nothing for a repeat. */
async function receiveMail(deps: ApiDeps, mail: ParsedMail, raw: Buffer): Promise<{ journeyId: string; kind: 'new_lead' | 'reply' | 'repeat' }> {
  const { db } = deps;
  // Without a Message-ID the same bytes name the same mail, so a repeat still changes nothing.
  const messageId = clip(storable(mail.messageId?.trim() ?? '') || `<${createHash('sha256').update(raw).digest('hex')}@inbound>`, 300);
  const known = (await db('inbound_messages').where({ message_id: messageId }).first('journey_id')) as { journey_id: string } | undefined;
  if (known) return { journeyId: known.journey_id, kind: 'repeat' };

  const from = sender(mail);
  const subject = clip(storable(mail.subject?.trim() || '(no subject)'), MAX_SUBJECT);
  const text = clip(storable(mail.text?.trim() ?? ''), MAX_TEXT);
  const message = {
    id: newId('inm'),
    message_id: messageId,
    from_address: clip(from.address, textBounds.email.maxLength),
    from_name: from.name,
    subject,
    text,
  };

  const thread = await threadJourney(db, threadIds(mail));
  if (thread) {
    if (thread.stage === 'nurture') {
      // The update id is the mail's: a repeat delivery after a failure never re-engages twice.
      const updateId = `inbound_${createHash('sha256').update(messageId).digest('hex').slice(0, 32)}`;
      await sendEvent(deps, thread.id, { type: 'RE_ENGAGE', actor: INBOUND_ACTOR, note: `the customer replied by mail: ${subject}` }, updateId).catch(
        (error: unknown) => {
          // Refused for good (the journey moved on, or its process asks another role): the reply is
          // kept on its timeline all the same, and the sender must not retry. Only an outage is retried (451).
          const refusal = toApiError(error);
          if (!refusal || refusal.status >= 500) throw error;
        },
      );
    }
    await db('inbound_messages')
      .insert({ ...message, kind: 'reply', journey_id: thread.id, stage: thread.stage })
      .onConflict('message_id')
      .ignore();
    return { journeyId: thread.id, kind: 'reply' };
  }

  const journeyId = channelJourneyId('email', messageId);
  const { stage } = await captureFromChannel(deps, journeyId, leadOf(from, subject, text));
  await db('inbound_messages')
    .insert({ ...message, kind: 'new_lead', journey_id: journeyId, stage })
    .onConflict('message_id')
    .ignore();
  return { journeyId, kind: 'new_lead' };
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** The SMTP answer for a failure: ours are named; anything else (database, Temporal) is temporary. */
function smtpError(error: unknown, log: FastifyBaseLogger): Error & { responseCode: number } {
  if (error instanceof MailRefusal) return error;
  log.error({ err: error }, 'inbound mail could not be taken');
  return Object.assign(new Error('4.3.0 The mail could not be taken now; try again later'), { responseCode: 451 });
}

export async function startInboundMail(
  deps: ApiDeps,
  options: { port: number; host?: string; log: FastifyBaseLogger; maxBytes?: number },
): Promise<InboundMailServer> {
  const maxBytes = options.maxBytes ?? MAX_MAIL_BYTES;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: maxBytes,
    logger: false,
    banner: 'lead-to-cash inbound mail',
    onData(stream, _session, callback) {
      readAll(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) throw new MailRefusal(552, `5.3.4 The mail is larger than ${maxBytes} bytes`);
          const mail = await simpleParser(raw).catch(() => {
            throw new MailRefusal(554, '5.6.0 The mail could not be read');
          });
          const taken = await receiveMail(deps, mail, raw);
          options.log.info({ journeyId: taken.journeyId, kind: taken.kind }, 'inbound mail taken');
        })
        .then(
          () => callback(),
          (error: unknown) => callback(smtpError(error, options.log)),
        );
    },
  });
  // A client that drops its connection must not take the process down.
  server.on('error', (error: Error) => options.log.warn({ err: error }, 'inbound mail connection failed'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
