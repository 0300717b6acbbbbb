// `npm test`: install what is missing, then typecheck, lint, check formatting, check the compose file, and run
// every vitest suite against the real stack (which vitest's global setup starts). Ends with one
// summary line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, root } from './bootstrap.mjs';

// What git sees before the run: the run itself must change no tracked file (the lock file above all).
const treeBefore = gitStatus();
ensureNodeModules();

const bin = (name) => join(root, 'node_modules', '.bin', name);
// `--production`: the production-shaped suites only (npm run test:production), no static checks.
const production = process.argv[2] === '--production';
const extra = production ? ['--config', 'vitest.production.config.ts', ...process.argv.slice(3)] : process.argv.slice(2);

/** `git status` lines, or null outside a git work tree. */
function gitStatus() {
  const result = spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? new Set(result.stdout.split('\n').filter(Boolean)) : null;
}

function step(title, cmd, args) {
  process.stdout.write(`\n== ${title}\n`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  process.stdout.write(`== ${title}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return result.status === 0;
}

let ok = true;
if (extra.length === 0 && !production) {
  ok = step('typecheck', bin('tsc'), ['--noEmit', '-p', '.']) && ok;
  ok = step('typecheck (console)', bin('tsc'), ['--noEmit', '-p', 'web']) && ok;
  ok = step('lint', bin('eslint'), ['.', '--max-warnings', '0']) && ok;
  ok = step('format (npm run format fixes it)', bin('prettier'), ['--check', '.', '--log-level', 'warn']) && ok;
  ok = step('compose file', process.execPath, ['--import', 'tsx', 'scripts/checkCompose.ts']) && ok;
}

const reportDir = join(root, 'test-results');
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, production ? 'vitest-production.json' : 'vitest.json');
rmSync(report, { force: true });
const vitestOk = step('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra]);
ok = vitestOk && ok;

const changedByRun = treeBefore === null ? [] : [...gitStatus()].filter((line) => !treeBefore.has(line));
if (changedByRun.length > 0) {
  process.stdout.write(`\n== the run changed files in the work tree (commit them, or make the run leave them alone):\n${changedByRun.join('\n')}\n`);
  ok = false;
}

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  if (results.numTotalTests === 0) ok = false;
} catch {
  ok = false;
}
if (!ok && failed === 0) failed = 1; // a failed typecheck, lint or set-up counts as a failure
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(ok ? 0 : 1);
