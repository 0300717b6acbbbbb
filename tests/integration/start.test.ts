// `npm start` as a newcomer runs it: the stack comes up and answers, Ctrl-C (SIGINT) stops every
// process it started, and a second start finds the same data again; mail to the inbound address it
// prints becomes a lead. The data folder is mkdtemp's (0700): as root, PostgreSQL runs as nobody
// and must still get in.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/process';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'l2c-start-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Running, not merely a zombie: a daemonized postgres is reaped by init, which a container may lack. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

/** Starts `npm start`'s entry point; resolves with its output once it prints that it is ready. */
async function start(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  // Our own settings only: the suite's stack variables would point it at the test services.
  const keep = ['PATH', 'HOME', 'XDG_CACHE_HOME', 'TEMPORAL_CLI', 'GOPATH', 'GOMODCACHE', 'GOCACHE'];
  const env = { ...Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]])), PORT: String(port), L2C_DATA_DIR: dataDir };
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not get ready in 150 s:\n${out}`)), 150_000);
    const check = setInterval(() => {
      if (out.includes('Press Ctrl-C')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
  });
  return { child, output: () => out };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

async function ready(port: number): Promise<{ status: number; body: { status: string } }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
    if (response?.ok) return { status: response.status, body: (await response.json()) as { status: string } };
    if (Date.now() > deadline) throw new Error(`/readyz did not answer 200 on port ${port}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('npm start', () => {
  it('brings the stack up, stops everything on Ctrl-C, and finds its data again', { timeout: 360_000 }, async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.output()).toMatch(new RegExp(`Console +http://127\\.0\\.0\\.1:${port}/`));
    expect(first.output()).toMatch(/Temporal UI +http:\/\/127\.0\.0\.1:\d+/);
    expect((await ready(port)).body.status).toBe('ready');

    const token = /Admin token +(\S+)/.exec(first.output())?.[1];
    expect(token).toBeTruthy();
    const created = await fetch(`http://127.0.0.1:${port}/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Persistent Pat', email: 'pat@example.com', roles: ['viewer'] }),
    });
    expect(created.status).toBe(201);
    const { token: patToken } = (await created.json()) as { token: string };

    // Mail to the inbound address it printed becomes a lead.
    const inboundPort = Number(/Inbound mail +smtp:\/\/127\.0\.0\.1:(\d+)/.exec(first.output())?.[1]);
    expect(inboundPort).toBeGreaterThan(0);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: '"Mia Mail" <mia@mail-start.example>', to: 'leads@localhost', subject: 'A question', text: 'Do you ship to Austria?' });
    transport.close();
    await expect
      .poll(
        async () => {
          const found = await fetch(`http://127.0.0.1:${port}/v1/journeys?q=mia%40mail-start.example`, { headers: { authorization: `Bearer ${token}` } });
          return ((await found.json()) as { items: { lead: { name: string | null } }[] }).items.map((j) => j.lead.name);
        },
        { timeout: 30_000 },
      )
      .toEqual(['Mia Mail']);

    const pids = [...first.output().matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    expect(await stop(first.child)).toBe(0);
    expect(first.output()).toContain('Stopped.');
    for (const pid of pids) expect(alive(pid), `process ${pid} left behind`).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    const second = await start(port);
    await ready(port);
    // The user made before the restart is still there, and so is the same admin token.
    const me = await fetch(`http://127.0.0.1:${port}/v1/products`, { headers: { authorization: `Bearer ${patToken}` } });
    expect(me.status).toBe(200);
    expect(second.output()).toContain(token!);
    expect(await stop(second.child)).toBe(0);
  });
});
