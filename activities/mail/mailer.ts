// The mailer: nodemailer over SMTP, configured from a URL (smtp://host:port, smtps://user:pass@host).
// Activities never call it directly; emails go through the outbox (activities/mail/outbox.ts).
import nodemailer from 'nodemailer';
import type { EmailAttachment } from '../../db/queries/outbox';

export interface OutgoingEmail {
  /** Stable Message-ID, kept in the outbox row: a resend after a crash carries the same id. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
  /** An unsubscribe link that takes a one-click POST (RFC 8058): mail clients then offer it. */
  listUnsubscribe?: string | null;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

const DEFAULT_FROM = 'Lead-to-Cash <sales@lead-to-cash.local>';

export function createMailer(smtpUrl: string, options: { from?: string } = {}): Mailer {
  // Bounded waits (nodemailer's defaults run to minutes): the outbox lease must outlast a send.
  const transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 });
  const from = options.from ?? DEFAULT_FROM;
  return {
    async send(email) {
      const attachments = (email.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content }));
      const list = email.listUnsubscribe
        ? { list: { unsubscribe: email.listUnsubscribe }, headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }
        : {};
      await transport.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        attachments,
        ...list,
      });
    },
    close() {
      transport.close();
    },
  };
}
