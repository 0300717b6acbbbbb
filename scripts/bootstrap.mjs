// Shared by `npm start` and `npm test`: installs node modules when they are missing or older
// than the lock file, then loads TypeScript through tsx. Plain JavaScript: it runs before any
// dependency is there.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));

export function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  // `npm ci`: exactly the lock file's tree, never a rewrite of it. The lock lists every platform's
  // optional builds of native tools, so it is complete wherever it is installed.
  process.stderr.write('Installing node modules from the lock file (npm ci)...\n');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write('npm ci failed; see the output above.\n');
    process.exit(result.status ?? 1);
  }
}

export async function loadTypeScript() {
  const { register } = await import('tsx/esm/api');
  register();
}
