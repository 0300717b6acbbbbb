// The SMTP sink the stack runs: a client that dies mid-session (a SIGKILLed worker) resets its
// connection; the sink must shrug that off and keep receiving, since every suite shares it.
import { connect, createServer } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../activities/mail/mailer';
import { startMailSink, type MailSink } from '../../scripts/stack/mailSink';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

let sink: MailSink;
beforeAll(async () => {
  sink = await startMailSink({ smtpPort: await freePort(), httpPort: await freePort() });
});
afterAll(async () => {
  await sink.stop();
});

describe('the SMTP sink', () => {
  it('keeps receiving after clients reset their connections mid-session', async () => {
    const { port } = new URL(sink.smtpUrl);
    for (let i = 0; i < 3; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'data'); // the greeting
      socket.write('EHLO crashed.example\r\nMAIL FROM:<a@crashed.example>\r\n');
      await once(socket, 'data');
      socket.resetAndDestroy();
      await once(socket, 'close');
    }
    const mailer = createMailer(sink.smtpUrl);
    try {
      await mailer.send({ messageId: '<after-resets@sink.example>', to: 'after.resets@sink.example', subject: 'Still here', text: 't', html: '<p>h</p>' });
    } finally {
      mailer.close();
    }
    const messages = (await (await fetch(`${sink.mailboxUrl}/messages`)).json()) as { messageId: string | null }[];
    expect(messages.map((m) => m.messageId)).toEqual(['<after-resets@sink.example>']);
  });
});
