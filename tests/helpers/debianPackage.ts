// A binary from a Debian package the tests need (chromium, pdftotext from poppler-utils): found
// where Debian puts it, else installed once with apt-get. One process installs (a lock directory,
// created atomically); test files in other workers wait for it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INSTALL_TIMEOUT_MS = 10 * 60_000;

function run(say: (line: string) => void, command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    say(`$ ${command} ${args.join(' ')}`);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    let tail = '';
    const keep = (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
      // Progress on stderr, one line per line of apt output.
      for (const line of d.toString().split('\n')) if (line.trim()) say(line.trim());
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`))));
  });
}

/** The path of `binary`, installing the Debian package `pkg` when it is missing. */
export async function ensureDebianBinary(binary: string, pkg: string): Promise<string> {
  if (existsSync(binary)) return binary;
  const say = (line: string) => process.stderr.write(`[${pkg}] ${line}\n`);
  const lock = join(tmpdir(), `l2c-${pkg}-install.lock`);
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(binary)) return binary;
      if (Date.now() > deadline) throw new Error(`${binary} is missing and another install of ${pkg} (lock ${lock}) did not finish in 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  try {
    if (existsSync(binary)) return binary;
    say(`${binary} is missing; installing Debian's ${pkg} with apt-get (once per run)`);
    // A stale package index fails the install: refresh it, then try once more.
    await run(say, 'apt-get', ['install', '-y', pkg]).catch(async () => {
      await run(say, 'apt-get', ['update']);
      await run(say, 'apt-get', ['install', '-y', pkg]);
    });
    if (!existsSync(binary)) throw new Error(`apt-get installed ${pkg} but ${binary} is still missing`);
    say(`installed ${binary}`);
    return binary;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
