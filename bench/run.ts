// `npm run bench -- <name>|all [--quick] [--temporal=server]`: starts the stack on throwaway data
// (as the tests do), runs the named benchmarks, prints one JSON line per figure and a table at the
// end. --temporal=server runs the real Temporal server on the private PostgreSQL (as
// L2C_TEMPORAL=server does); the journeys benchmark then compares it with a dev server.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSettings } from '../config/settings';
import { startStack, type Stack } from '../scripts/stack/index';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { printTable } from './report';

export interface BenchOptions {
  quick: boolean;
  /** Which Temporal the stack runs: the dev server, or the real server on PostgreSQL. */
  temporal: 'dev' | 'server';
  stack: Stack;
}

const benches: Record<string, () => Promise<{ run(options: BenchOptions): Promise<void> }>> = {
  journeys: () => import('./journeys'),
  api: () => import('./api'),
  'open-journeys': () => import('./openJourneys'),
  'stuck-scaling': () => import('./stuckScaling'),
  history: () => import('./history'),
  footprint: () => import('./footprint'),
  reports: () => import('./reports'),
  'bank-import': () => import('./bankImport'),
  migration: () => import('./migration'),
  'credit-refunds': () => import('./creditRefunds'),
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const settings = readSettings();
const temporalFlag = args.find((a) => a.startsWith('--temporal='))?.slice('--temporal='.length) ?? settings.L2C_TEMPORAL;
if (temporalFlag !== 'dev' && temporalFlag !== 'server') {
  process.stderr.write(`--temporal must be dev or server, not ${temporalFlag}\n`);
  process.exit(2);
}
const temporal: BenchOptions['temporal'] = temporalFlag;
const names = args.filter((a) => !a.startsWith('--'));
const selected = names.length === 0 || names.includes('all') ? Object.keys(benches) : names;
const unknown = selected.filter((n) => !(n in benches));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')} or all\n`);
  process.exit(2);
}

// Keep the figures readable: only the SDK's warnings and errors.
Runtime.install({ logger: new DefaultLogger('WARN') });

const dataDir = mkdtempSync(join(tmpdir(), 'l2c-bench-'));
chmodSync(dataDir, 0o755);
const stack = await startStack({ ...settings, L2C_TEMPORAL: temporal }, { dataDir, persistent: false, say: (l) => process.stderr.write(`[stack] ${l}\n`) });
try {
  for (const name of selected) {
    process.stderr.write(`\n# ${name}${quick ? ' (quick)' : ''}${temporal === 'server' ? ' (Temporal server on PostgreSQL)' : ''}\n`);
    const bench = await benches[name]!();
    await bench.run({ quick, temporal, stack });
  }
  printTable();
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
