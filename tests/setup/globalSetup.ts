// Brings the real stack (PostgreSQL, Temporal dev server, SMTP sink) up once per test run on
// throwaway data and hands its addresses to the suites through `inject('stack')`.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { readSettings } from '../../config/settings';
import { startStack, type Stack } from '../../scripts/stack/index';
import { buildWorkflowBundle } from '../../worker/bundle';

let stack: Stack | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'l2c-test-'));
  // The private PostgreSQL may run as another user (never as root): let it reach its folder.
  chmodSync(dataDir, 0o755);
  const say = (line: string) => process.stderr.write(`[stack] ${line}\n`);
  stack = await startStack(readSettings(), { dataDir, persistent: false, say });
  // One workflow bundle for every worker of the run (in-process and child processes).
  const bundlePath = await buildWorkflowBundle(join(dataDir, 'workflow-bundle.js'));
  project.provide('bundlePath', bundlePath);
  project.provide('stack', {
    databaseUrl: stack.databaseUrl,
    temporalAddress: stack.temporalAddress,
    temporalNamespace: stack.temporalNamespace,
    temporalUiUrl: stack.temporalUiUrl,
    smtpUrl: stack.smtpUrl,
    mailboxUrl: stack.mailboxUrl,
    dataDir: stack.dataDir,
  });
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
