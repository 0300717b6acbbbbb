// `npm start`: the local stack (PostgreSQL, Temporal dev server with its UI, SMTP sink), then
// migrations and demo data, then the worker and the API as child processes that are restarted
// when they die. Ctrl-C or SIGTERM stops everything; data stays in L2C_DATA_DIR for next time.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb } from '../db/connection';
import { migrateLatest } from '../db/migrate';
import { seedDemo } from '../db/seed/demo';
import { seedDemoHistory } from '../db/seed/demoHistory';
import { readSettings } from '../config/settings';
import { startStack } from './stack/index';
import { freePort, stopChild } from './stack/process';
import { buildConsole } from '../web/build';
import { buildWorkflowBundle } from '../worker/bundle';

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (line: string) => process.stdout.write(`${line}\n`);

function fail(message: string): never {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}

let settings;
try {
  settings = readSettings();
} catch (error) {
  fail((error as Error).message);
}

say('Starting the lead-to-cash stack...');
const stack = await startStack(settings, { dataDir: resolve(root, settings.L2C_DATA_DIR), persistent: true, say }).catch((error: Error) =>
  fail(`Could not start the stack: ${error.message}`),
);

const db = createDb(stack.databaseUrl);
const applied = await migrateLatest(db);
if (applied.length > 0) say(`Applied migrations: ${applied.join(', ')}`);
if (settings.L2C_SEED_DEMO !== '0') {
  await seedDemo(db);
  // A year of past journeys for the reports, on a database without any journey yet.
  const written = await seedDemoHistory(db);
  if (written > 0) say(`Wrote ${written} demo journeys of the past year (history for the reports).`);
}
await db.destroy();

// Without L2C_BOOTSTRAP_TOKEN, a newcomer still needs a way in: an admin token made once and kept
// in the data dir (readable by this user only).
const tokenFile = join(stack.dataDir, 'admin-token');
const generatedToken = settings.L2C_BOOTSTRAP_TOKEN
  ? null
  : existsSync(tokenFile)
    ? readFileSync(tokenFile, 'utf8').trim()
    : randomBytes(24).toString('base64url');
if (generatedToken && !existsSync(tokenFile)) writeFileSync(tokenFile, `${generatedToken}\n`, { mode: 0o600 });

const bundlePath = join(stack.dataDir, 'workflow-bundle.js');
await buildWorkflowBundle(bundlePath);
say('Building the console (first time: about half a minute)...');
await buildConsole();

const inboundSmtpPort = settings.L2C_INBOUND_SMTP_PORT ?? (await freePort());
const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: stack.databaseUrl,
  TEMPORAL_ADDRESS: stack.temporalAddress,
  TEMPORAL_NAMESPACE: stack.temporalNamespace,
  SMTP_URL: stack.smtpUrl,
  PORT: String(settings.PORT),
  L2C_INBOUND_SMTP_PORT: String(inboundSmtpPort),
  L2C_WORKFLOW_BUNDLE: bundlePath,
  L2C_BOOTSTRAP_TOKEN: settings.L2C_BOOTSTRAP_TOKEN ?? generatedToken ?? '',
  ...(stack.mailboxUrl ? { L2C_MAILBOX_URL: stack.mailboxUrl } : {}),
  ...(stack.temporalUiUrl ? { L2C_TEMPORAL_UI_URL: stack.temporalUiUrl } : {}),
};

let stopping = false;
const children = new Map<string, ChildProcess>();

/** Runs a TypeScript entry point and restarts it (with a growing pause) whenever it dies. */
function supervise(name: string, entry: string, restarts = 0): void {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], { cwd: root, env: childEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  children.set(name, child);
  say(`${name} started (pid ${child.pid})`);
  const startedAt = Date.now();
  child.once('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    // A child that ran a while gets a fresh back-off; one that keeps crashing waits longer.
    const attempt = Date.now() - startedAt > 60_000 ? 0 : restarts + 1;
    const delay = Math.min(30_000, 500 * 2 ** attempt);
    say(`${name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
    setTimeout(() => supervise(name, entry, attempt), delay).unref();
  });
}

supervise('worker', 'worker/main.ts');
supervise('api', 'api/main.ts');

const consoleUrl = `http://127.0.0.1:${settings.PORT}`;
const postmaster = join(stack.dataDir, 'postgres', 'postmaster.pid');
const servicePids = [
  existsSync(postmaster) ? `postgres pid ${readFileSync(postmaster, 'utf8').split('\n')[0]}` : null,
  stack.temporal?.child?.pid ? `temporal pid ${stack.temporal.child.pid}` : null,
].filter(Boolean);
if (servicePids.length > 0) say(`Services: ${servicePids.join(', ')}`);
say('');
say(`  Console        ${consoleUrl}/`);
say(`  API docs       ${consoleUrl}/docs`);
if (stack.temporalUiUrl) say(`  Temporal UI    ${stack.temporalUiUrl}`);
if (stack.mailboxUrl) say(`  Mailbox (SMTP) ${stack.mailboxUrl}/messages`);
say(`  Inbound mail   smtp://127.0.0.1:${inboundSmtpPort}  (any recipient, e.g. leads@localhost)`);
say(`  Data           ${stack.dataDir}`);
say(generatedToken ? `  Admin token    ${generatedToken}  (kept in ${tokenFile})` : '  Admin token    the value of L2C_BOOTSTRAP_TOKEN');
say('');
say('Press Ctrl-C to stop.');

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`\n${signal}: stopping...`);
  await Promise.all([...children.values()].map((c) => stopChild(c, 15_000)));
  await stack.stop();
  say('Stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
