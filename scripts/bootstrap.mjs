// Shared by `npm start` and `npm test`: installs node modules when they are missing or were
// installed from another lock file, then loads TypeScript through tsx. Plain JavaScript: it runs before any
// dependency is there.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Installs when the lock file differs from the one the install was made from. Its content is
 * compared, not its time: a checkout touches the file without changing what it locks.
 */
export function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.installed-from-lock');
  const lockHash = createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === lockHash) return;
  // `npm ci`: exactly the lock file's tree, never a rewrite of it. The lock lists every platform's
  // optional builds of native tools, so it is complete wherever it is installed.
  process.stderr.write('Installing node modules from the lock file (npm ci)...\n');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write('npm ci failed; see the output above.\n');
    process.exit(result.status ?? 1);
  }
  writeFileSync(marker, `${lockHash}\n`);
}

export async function loadTypeScript() {
  const { register } = await import('tsx/esm/api');
  register();
}
