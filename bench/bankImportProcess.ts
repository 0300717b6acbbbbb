// One statement import for bench/bankImport.ts, in a process of its own so its peak RSS is the
// import's alone. env: DATABASE_URL. Takes the statement text over IPC, parses and records it (as
// the statement route does), answers its figures and ends.
import { parseCamt053 } from '../api/bank/camt053';
import { recordStatement } from '../api/bank/importStatement';
import { createDb } from '../db/connection';
import { newId } from '../db/ids';

export interface ImportFigures {
  recorded: number;
  parseMs: number;
  totalMs: number;
  /** RSS with the modules loaded, the pool connected and the statement text received. */
  rssBefore: number;
  /** The process's high-water mark, the import included. */
  peakRss: number;
}

const url = process.env.DATABASE_URL;
if (!url) throw new Error('bench/bankImportProcess needs DATABASE_URL');
const db = createDb(url, { max: 2 });
await db.raw('select 1');

process.once('message', (xml: string) => {
  void (async () => {
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const parsed = parseCamt053(xml);
    const parseMs = performance.now() - started;
    const recorded = await recordStatement(db, parsed, { id: 'usr-finance' }, newId('bimp'));
    const figures: ImportFigures = {
      recorded: recorded.length,
      parseMs,
      totalMs: performance.now() - started,
      rssBefore,
      peakRss: process.resourceUsage().maxRSS * 1024,
    };
    await db.destroy();
    process.send?.(figures, () => process.disconnect());
  })().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  });
});
process.send?.({ ready: true });
