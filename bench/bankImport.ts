// `bank-import`: a camt.053 statement of 10,000 lines (quick: 2,000) against as many open invoices,
// parsed, recorded and matched (api/bank/importStatement.ts recordStatement); then the same file
// again, every line a duplicate. Each import runs in a process of its own (bench/bankImportProcess.ts),
// so the RSS figures are the import's alone: before it (Node, the modules, the statement text) and
// its peak. The journey updates that follow a match (one Temporal update per allocation) are not
// part of these figures.
import { newId } from '../db/ids';
import { creditorReference, printedReference } from '../db/creditorReference';
import type { Db } from '../db/connection';
import { camt053, type EntrySpec } from '../tests/helpers/camt053';
import { prepareDatabase } from './inProcessWorker';
import { report } from './report';
import type { BenchOptions } from './run';
import type { ImportFigures } from './bankImportProcess';
import { forkWorker } from './workerProcess';

/** Open invoices INV-2026-000001…, spread over 50 customers, due amounts spread over 5,000 values. */
async function insertInvoices(db: Db, count: number): Promise<{ number: string; reference: string; due: string }[]> {
  const invoices = Array.from({ length: count }, (_, i) => {
    const number = `INV-2026-${String(i + 1).padStart(6, '0')}`;
    const due = `${100 + (i % 5_000)}.${String(i % 100).padStart(2, '0')}`;
    return {
      id: newId('inv'),
      number,
      order_id: `ord_bench_${i}`,
      journey_id: `jrn_bench_${i}`,
      account_id: `acc_bench_${i % 50}`,
      contact_id: `con_bench_${i % 50}`,
      tax_country: 'DE',
      currency: 'EUR',
      net_total: due,
      tax_total: '0.00',
      total: due,
      amount_due: due,
      payment_terms: 'P30D',
      issued_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
      due_at: new Date(Date.UTC(2026, 1, 1)),
      payment_reference: creditorReference(number),
    };
  });
  // Real customers, so the IBANs a match confirms are learned for them.
  await db('accounts').insert(Array.from({ length: 50 }, (_, i) => ({ id: `acc_bench_${i}`, name: `Bench Customer ${i}`, name_key: `bench customer ${i}` })));
  await db.transaction(async (trx) => {
    // The invoices stand alone (no orders, contacts or journeys behind them): foreign keys off for this load only.
    await trx.raw('set local session_replication_role = replica');
    for (let i = 0; i < invoices.length; i += 1_000) await trx('invoices').insert(invoices.slice(i, i + 1_000));
  });
  await db.raw('analyze invoices');
  return invoices.map((i) => ({ number: i.number, reference: i.payment_reference, due: i.amount_due }));
}

/** 70% pay by structured RF reference, 20% name the invoice number in the text, 10% say nothing useful. */
function statementFor(invoices: { number: string; reference: string; due: string }[]): string {
  const entries: EntrySpec[] = invoices.map((invoice, i) => {
    const kind = i % 10;
    const detail =
      kind < 7
        ? { rf: invoice.reference }
        : kind < 9
          ? { ustrd: [`Invoice ${invoice.number} thank you`] }
          : { ustrd: [`order ${i} ${printedReference(invoice.reference).slice(0, 4)}`] };
    return {
      amount: invoice.due,
      acctSvcrRef: `BENCH-${i}`,
      details: [{ endToEndId: `E2E-${i}`, name: `Customer ${i % 97}`, iban: `DE${String(10 + (i % 89))}500105175407324931`, ...detail }],
    };
  });
  return camt053({ version: '08', id: 'BENCH-STMT', entries });
}

/** Imports `xml` in a child process and answers what it measured. */
async function importInProcess(databaseUrl: string, xml: string): Promise<ImportFigures> {
  const child = await forkWorker('./bankImportProcess.ts', { DATABASE_URL: databaseUrl });
  const figures = new Promise<ImportFigures>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ImportFigures));
    child.once('exit', (code) => reject(new Error(`the import process exited with ${code} before it answered`)));
  });
  child.send(xml);
  return figures;
}

const MiB = 1024 * 1024;

export async function run(options: BenchOptions): Promise<void> {
  const lines = options.quick ? 2_000 : 10_000;
  const { db, url } = await prepareDatabase(options.stack.databaseUrl, 'bench_bank');
  try {
    const invoices = await insertInvoices(db, lines);
    const xml = statementFor(invoices);
    process.stderr.write(`${lines} open invoices; statement of ${(xml.length / MiB).toFixed(1)} MiB\n`);

    const first = await importInProcess(url, xml);
    const states = (await db('bank_lines').groupBy('state').select('state').count('* as n')) as { state: string; n: string }[];
    process.stderr.write(`lines by state: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}\n`);
    if (first.recorded !== lines) throw new Error(`recorded ${first.recorded} of ${lines} lines`);

    const again = await importInProcess(url, xml);
    if (again.recorded !== 0) throw new Error(`the second import recorded ${again.recorded} lines`);

    const matched = Number(states.find((s) => s.state === 'matched')?.n ?? 0);
    report({ bench: 'bank-import', metric: `import and match ${lines} camt.053 lines against ${lines} open invoices`, value: first.totalMs / 1000, unit: 's' });
    report({ bench: 'bank-import', metric: 'lines per second (parse, record, match)', value: lines / (first.totalMs / 1000), unit: 'lines/s' });
    report({ bench: 'bank-import', metric: 'of which parsing the XML', value: first.parseMs / 1000, unit: 's' });
    report({ bench: 'bank-import', metric: 'lines matched on their own', value: matched, unit: 'lines' });
    report({ bench: 'bank-import', metric: 'the same file again (every line a duplicate)', value: again.totalMs / 1000, unit: 's' });
    report({
      bench: 'bank-import',
      metric: 'importing process: RSS before the import (Node, modules, pool, the statement text)',
      value: first.rssBefore / MiB,
      unit: 'MiB',
    });
    report({ bench: 'bank-import', metric: 'importing process: peak RSS (the goal: under 300 MiB)', value: first.peakRss / MiB, unit: 'MiB' });
    report({ bench: 'bank-import', metric: 'of which the import itself (peak minus before)', value: (first.peakRss - first.rssBefore) / MiB, unit: 'MiB' });
    report({ bench: 'bank-import', metric: 'importing process: peak RSS, the same file again', value: again.peakRss / MiB, unit: 'MiB' });
  } finally {
    await db.destroy();
  }
}
