import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Mailer, OutgoingEmail } from '../../../activities/mail/mailer';
import { createDb } from '../../../db/connection';
import { printedReference } from '../../../db/creditorReference';
import { enqueueEmail } from '../../../db/queries/outbox';
import {
  countRows,
  createActivityTestbed,
  expectFailure,
  expectMailCount,
  flakyMailer,
  journeyUpTo,
  newJourneyId,
  uniqueEmail,
  type ActivityTestbed,
} from '../../helpers/activities';
import { mimeParts } from '../../helpers/mimeParts';
import { pdfText } from '../../helpers/pdfText';

let t: ActivityTestbed;
beforeAll(async () => {
  t = await createActivityTestbed();
});
afterAll(async () => {
  await t.close();
});

describe('email outbox: every email exactly once', () => {
  it('a send that fails after the outbox write is retried by the activity: one email, same Message-ID', async () => {
    const j = await journeyUpTo(t.acts, 'invoice');
    const flaky = flakyMailer(t.mailer, 1);
    const call = { journeyId: j.journeyId, step: 'invoicing.email', input: { invoiceId: j.invoiceId! } };
    const failure = await expectFailure(t.with(flaky).sendInvoice(call), 'EmailDeliveryFailed', false);
    expect(failure.message).toContain('SMTP relay unavailable');
    const row = await t.db('email_outbox').where({ journey_id: j.journeyId, step: 'invoicing.email' }).first();
    expect(row).toMatchObject({ sent_at: null, attempts: 1, last_error: 'SMTP relay unavailable' });
    // The effect and its idempotency record were committed before the send.
    expect(await countRows(t.db, 'activity_results', { journey_id: j.journeyId, step: 'invoicing.email' })).toBe(1);
    await expectMailCount(j.email, 0);

    // Temporal retries the activity: the stored result comes back and the unsent row leaves now.
    const retried = await t.with(flaky).sendInvoice(call);
    expect(retried.emailId).toBe(row.id);
    const [mail] = await expectMailCount(j.email, 1);
    expect(mail!.messageId).toBe(row.message_id);
    expect(flaky.attempts.map((a) => a.messageId)).toEqual([row.message_id, row.message_id]);

    // Further retries and sweeps send nothing more.
    await t.acts.sendInvoice(call);
    await t.acts.deliverOutbox();
    await expectMailCount(j.email, 1);
    expect(await countRows(t.db, 'email_outbox', { journey_id: j.journeyId })).toBe(1);
  });

  it('the invoice email attaches its PDF (number, total, RF reference), the same bytes when sent again', async () => {
    const j = await journeyUpTo(t.acts, 'invoice');
    const invoice = await t.db('invoices').where({ id: j.invoiceId }).first();
    const flaky = flakyMailer(t.mailer, 1);
    const call = { journeyId: j.journeyId, step: 'invoicing.email', input: { invoiceId: j.invoiceId! } };
    await expectFailure(t.with(flaky).sendInvoice(call), 'EmailDeliveryFailed', false);
    await t.with(flaky).sendInvoice(call);
    const [failed, resent] = flaky.attempts as [OutgoingEmail, OutgoingEmail];
    expect(resent.attachments).toHaveLength(1);
    expect(resent.attachments).toEqual(failed.attachments);

    const [mail] = await expectMailCount(j.email, 1);
    const parts = mimeParts(mail!.raw);
    const pdf = parts.find((p) => p.contentType === 'application/pdf');
    expect(pdf?.filename).toBe(`${invoice.number}.pdf`);
    expect(pdf!.body.equals(resent.attachments![0]!.content)).toBe(true);
    const text = await pdfText(pdf!.body);
    expect(text).toContain(`Invoice ${invoice.number}`);
    expect(text).toContain(`Total: ${invoice.total} ${invoice.currency}`);
    expect(text).toContain(printedReference(invoice.payment_reference));
    const plain = parts.find((p) => p.contentType === 'text/plain')?.body.toString();
    expect(plain).toContain(`Payment reference: ${printedReference(invoice.payment_reference)}`);
  });

  it('the quote email attaches the quotation as PDF', async () => {
    const j = await journeyUpTo(t.acts, 'quote');
    const quote = await t.db('quotes').where({ id: j.quoteId }).first();
    await t.acts.sendQuote({ journeyId: j.journeyId, step: 'quote_sent.email', input: { quoteId: j.quoteId! } });
    const [mail] = await expectMailCount(j.email, 1);
    const pdf = mimeParts(mail!.raw).find((p) => p.contentType === 'application/pdf');
    expect(pdf?.filename).toBe(`${quote.number}_v${quote.version}.pdf`);
    const text = await pdfText(pdf!.body);
    expect(text).toContain(`Quotation ${quote.number} v${quote.version}`);
    expect(text).toContain(`Total: ${quote.total} ${quote.currency}`);
  });

  it('a row left unsent by a crash is sent by deliverOutbox, and the late retry does not send it again', async () => {
    const j = await journeyUpTo(t.acts, 'order');
    const call = { journeyId: j.journeyId, step: 'fulfilment.shipped', input: { orderId: j.orderId!, carrier: 'UPS', trackingNumber: '1Z999' } };
    await expectFailure(t.with(flakyMailer(t.mailer, 1)).notifyShipment(call), 'EmailDeliveryFailed', false);
    // Time passes beyond the back-off; the worker's periodic sweep finds the row.
    await t
      .db('email_outbox')
      .where({ journey_id: j.journeyId })
      .update({ next_attempt_at: t.db.raw("now() - interval '1 second'") });
    const swept = await t.acts.deliverOutbox();
    expect(swept.sent).toBeGreaterThanOrEqual(1);
    await expectMailCount(j.email, 1);
    const result = await t.acts.notifyShipment(call);
    expect(result.shipmentId).toMatch(/^shp_/);
    await expectMailCount(j.email, 1);
    expect(await countRows(t.db, 'shipments', { order_id: j.orderId })).toBe(1);
  });

  it('two sweepers at once never send one row twice', async () => {
    const recipients = Array.from({ length: 12 }, (_, i) => uniqueEmail(`sweep${i}`));
    await t.db.transaction(async (trx) => {
      for (const to of recipients) {
        await enqueueEmail(trx, {
          journeyId: newJourneyId(),
          step: 'crashed',
          kind: 'invoice',
          templateKey: 'invoice',
          to,
          subject: 'Left behind',
          text: 'text',
          html: '<p>html</p>',
        });
      }
    });
    const [a, b, c] = await Promise.all([t.acts.deliverOutbox(), t.acts.deliverOutbox(), t.acts.deliverOutbox()]);
    expect(a!.sent + b!.sent + c!.sent).toBe(12);
    for (const to of recipients) await expectMailCount(to, 1);
    expect(await t.db('email_outbox').whereIn('to_address', recipients).whereNull('sent_at')).toEqual([]);
  });

  it('a database outage right after the relay accepted: the send is recorded when it is back, and nobody mails it again', async () => {
    const to = uniqueEmail('outage');
    await t.db.transaction((trx) =>
      enqueueEmail(trx, { journeyId: newJourneyId(), step: 's', kind: 'invoice', templateKey: 'invoice', to, subject: 'Outage', text: 't', html: 'h' }),
    );
    const name = new URL(t.url).pathname.slice(1);
    const admin = createDb(inject('stack').databaseUrl, { max: 1 });
    let reopened: Promise<void> = Promise.resolve();
    // After the real send, the database refuses this suite's connections for two seconds.
    const cutAfterSend: Mailer = {
      send: async (email) => {
        await t.mailer.send(email);
        await admin.raw(`alter database ${name} with allow_connections false`);
        await admin.raw('select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()', [name]);
        // A knex query runs only once awaited or then-ed.
        reopened = sleep(2_000).then(async () => {
          await admin.raw(`alter database ${name} with allow_connections true`);
        });
      },
      close: () => undefined,
    };
    try {
      expect(await t.with(cutAfterSend).deliverOutbox()).toEqual({ sent: 1, failed: 0 });
    } finally {
      await reopened;
      await admin.raw(`alter database ${name} with allow_connections true`);
      await admin.destroy();
    }
    await expectMailCount(to, 1);
    expect(await t.db('email_outbox').where({ to_address: to }).first()).toMatchObject({ attempts: 1, last_error: null, claimed_until: null, reclaims: 0 });
    await t.acts.deliverOutbox();
    await expectMailCount(to, 1);
  });

  it("a row under another sender's lease is left alone until the lease runs out", async () => {
    const to = uniqueEmail('leased');
    const id = await t.db.transaction((trx) =>
      enqueueEmail(trx, { journeyId: newJourneyId(), step: 's', kind: 'invoice', templateKey: 'invoice', to, subject: 'Leased', text: 't', html: 'h' }),
    );
    await t
      .db('email_outbox')
      .where({ id })
      .update({ claimed_until: t.db.raw("now() + interval '1 minute'") });
    await t.acts.deliverOutbox();
    await expectMailCount(to, 0);
    // The other sender died: its lease ran out, and the row leaves with its own Message-ID.
    await t
      .db('email_outbox')
      .where({ id })
      .update({ claimed_until: t.db.raw("now() - interval '1 second'") });
    await t.acts.deliverOutbox();
    const [mail] = await expectMailCount(to, 1);
    const row = await t.db('email_outbox').where({ id }).first();
    expect(mail!.messageId).toBe(row.message_id);
    // Counted, so a possible repeat at the receiver is accounted for.
    expect(row.reclaims).toBe(1);
  });

  it('a relay that keeps failing leaves the row unsent with its error and a back-off', async () => {
    const to = uniqueEmail('down');
    await t.db.transaction((trx) =>
      enqueueEmail(trx, { journeyId: newJourneyId(), step: 's', kind: 'invoice', templateKey: 'invoice', to, subject: 'Down', text: 't', html: 'h' }),
    );
    const down = t.with(flakyMailer(t.mailer, 100));
    const result = await down.deliverOutbox();
    expect(result.sent).toBe(0);
    expect(result.failed).toBeGreaterThanOrEqual(1);
    const row = await t.db('email_outbox').where({ to_address: to }).first();
    expect(row).toMatchObject({ sent_at: null, attempts: 1, last_error: 'SMTP relay unavailable' });
    expect(new Date(row.next_attempt_at).getTime()).toBeGreaterThan(Date.now());
    // Not due yet: a sweep with a working relay leaves it for later.
    await t.acts.deliverOutbox();
    await expectMailCount(to, 0);
  });
});
