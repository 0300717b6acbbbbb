// Debian's chromium for the browser tests: found at /usr/bin/chromium (or $CHROMIUM_PATH), else
// installed once per run with apt-get (tests/helpers/debianPackage.ts). Never a downloaded browser build.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ensureDebianBinary } from '../helpers/debianPackage';

const DEFAULT_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The path of a chromium binary, installing Debian's package when none is there. */
export function ensureChromium(): Promise<string> {
  return ensureDebianBinary(process.env.CHROMIUM_PATH ?? DEFAULT_PATH, 'chromium');
}

export interface BrowserSession {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless chromium on a fresh profile (user-data-dir), closed and removed by close(). */
export async function launchChromium(options: { width?: number; height?: number } = {}): Promise<BrowserSession> {
  const executablePath = await ensureChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'l2c-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: options.width ?? 1366, height: options.height ?? 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
