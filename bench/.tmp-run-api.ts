import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSettings } from '/work/main/scripts/config';
import { startStack } from '/work/main/scripts/stack/index';
import { printTable } from '/work/main/bench/report';
import { run } from '/work/main/bench/.tmp-api-probe';
const dataDir = mkdtempSync(join(tmpdir(), 'l2c-bench-'));
chmodSync(dataDir, 0o755);
const stack = await startStack(readSettings(), { dataDir, persistent: false, say: (l) => process.stderr.write(`[stack] ${l}\n`) });
try { await run({ quick: true, stack }); printTable(); } finally { await stack.stop(); rmSync(dataDir, { recursive: true, force: true }); }
