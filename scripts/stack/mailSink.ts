// A real SMTP server that keeps every message it receives (the local stand-in for the company's
// mail relay), with a small HTTP mailbox to read them: GET /messages, DELETE /messages.
// Messages are appended to a JSON-lines file so they survive a restart of `npm start`.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  id: number;
  from: string;
  to: string[];
  subject: string;
  messageId: string | null;
  headers: Record<string, string>;
  raw: string;
  receivedAt: string;
}

export interface MailSink {
  smtpUrl: string;
  mailboxUrl: string;
  stop(): Promise<void>;
}

function parseHeaders(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers: Record<string, string> = {};
  let last = '';
  for (const line of head.split(/\r?\n/)) {
    if (/^\s/.test(line) && last) headers[last] += ` ${line.trim()}`;
    else {
      const i = line.indexOf(':');
      if (i > 0) {
        last = line.slice(0, i).toLowerCase();
        headers[last] = line.slice(i + 1).trim();
      }
    }
  }
  return headers;
}

export async function startMailSink(options: { smtpPort: number; httpPort: number; storeFile?: string }): Promise<MailSink> {
  const messages: ReceivedMail[] = [];
  if (options.storeFile && existsSync(options.storeFile)) {
    for (const line of readFileSync(options.storeFile, 'utf8').split('\n')) if (line) messages.push(JSON.parse(line) as ReceivedMail);
  }
  let nextId = messages.reduce((max, m) => Math.max(max, m.id), 0) + 1;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const headers = parseHeaders(raw);
        const mail: ReceivedMail = {
          id: nextId++,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: headers.subject ?? '',
          messageId: headers['message-id'] ?? null,
          headers,
          raw,
          receivedAt: new Date().toISOString(),
        };
        messages.push(mail);
        if (options.storeFile) appendFileSync(options.storeFile, `${JSON.stringify(mail)}\n`);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort, '127.0.0.1', () => resolve());
  });
  // A client killed mid-session (a worker in the chaos suites) resets its connection: the sink
  // loses that message, the client's outbox sends it again, and the sink keeps running.
  smtp.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') process.stderr.write(`[mail sink] ${error.message}\n`);
  });

  const http: Server = createServer((req, res) => {
    if (req.url?.startsWith('/messages') && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(messages));
    } else if (req.url === '/messages' && req.method === 'DELETE') {
      messages.length = 0;
      res.writeHead(204).end();
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    }
  });
  await new Promise<void>((resolve) => http.listen(options.httpPort, '127.0.0.1', () => resolve()));

  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    mailboxUrl: `http://127.0.0.1:${options.httpPort}`,
    stop: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
