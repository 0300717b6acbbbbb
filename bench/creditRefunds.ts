// `credit-refunds`: refunds of customer credit (api/creditRefunds.ts) straight against PostgreSQL.
// Two shapes: many refunds of one account at once (they take turns on the account's row lock), and
// refunds spread over many accounts a few at a time (they share only the credit-note counter, whose
// row lock keeps the numbers gap-free). Each figure checks afterwards that the numbers have no gap
// and the credit consumed equals what was refunded.
import type { AuthUser } from '../api/auth';
import { refundCredit } from '../api/creditRefunds';
import type { Db } from '../db/connection';
import { newId } from '../db/ids';
import { formatCents, toCents } from '../db/money';
import { prepareDatabase } from './inProcessWorker';
import { percentile, report } from './report';
import type { BenchOptions } from './run';

const FINANCE: AuthUser = { id: 'usr-finance', name: 'Fay Finance', email: 'finance@lead-to-cash.local', roles: ['finance'], managerId: null };

/** `accounts` accounts with `creditsEach` credits of 100.00 EUR each, as over-payments leave them. */
async function insertCredits(db: Db, accounts: number, creditsEach: number): Promise<string[]> {
  const ids = Array.from({ length: accounts }, (_, i) => `acc_credit_${i}`);
  await db('accounts').insert(ids.map((id, i) => ({ id, name: `Credit Customer ${i}`, name_key: `credit customer ${i}` })));
  const credits = ids.flatMap((accountId, a) =>
    Array.from({ length: creditsEach }, (_, c) => ({
      id: newId('crd'),
      account_id: accountId,
      payment_id: `pay_bench_${a}_${c}`,
      invoice_id: `inv_bench_${a}_${c}`,
      amount: '100.00',
      remaining: '100.00',
      currency: 'EUR',
      created_at: new Date(Date.UTC(2026, 0, 1) + c * 60_000),
    })),
  );
  await db.transaction(async (trx) => {
    // The credits stand alone (no payments or invoices behind them): foreign keys off for this load only.
    await trx.raw('set local session_replication_role = replica');
    for (let i = 0; i < credits.length; i += 1_000) await trx('customer_credits').insert(credits.slice(i, i + 1_000));
  });
  return ids;
}

/** Runs the refunds `concurrency` at a time; answers each one's latency in ms and the wall time. */
async function refunds(db: Db, accountIds: string[], concurrency: number): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < accountIds.length) {
        const accountId = accountIds[next++] as string;
        const t0 = performance.now();
        await refundCredit(db, accountId, { id: newId('cn'), amount: '1.50', currency: 'EUR', reason: 'bench' }, FINANCE, new Date());
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

/** Gap-free numbers and credit consumed equal to what the notes refund, or the figures are void. */
async function check(db: Db): Promise<number> {
  const numbers = ((await db('credit_notes').pluck('number')) as string[]).map((n) => Number(n.split('-').at(-1))).sort((a, b) => a - b);
  if (numbers.some((n, i) => n !== i + 1)) throw new Error('credit note numbers have a gap or a repeat');
  const [notes] = (await db('credit_notes').sum({ sum: 'amount' })) as { sum: string }[];
  const [uses] = (await db('credit_uses').whereNotNull('credit_note_id').sum({ sum: 'amount' })) as { sum: string }[];
  if (toCents(notes?.sum ?? '0') !== toCents(uses?.sum ?? '0')) throw new Error(`refunded ${notes?.sum} but consumed ${uses?.sum}`);
  return numbers.length;
}

export async function run(options: BenchOptions): Promise<void> {
  const count = options.quick ? 200 : 1_000;
  const { db } = await prepareDatabase(options.stack.databaseUrl, 'bench_credit');
  try {
    // 1.50 per refund, 100.00 per credit: a refund sometimes spans two credits (oldest first).
    const accounts = await insertCredits(db, 51, Math.ceil((count * 1.5) / 100) + 1);
    const [one, ...many] = accounts as [string, ...string[]];

    const single = await refunds(db, Array<string>(count).fill(one), 16);
    report({
      bench: 'credit-refunds',
      metric: `${count} refunds of one account, 16 at a time: refunds per second`,
      value: count / (single.wallMs / 1000),
      unit: '/s',
    });
    report({ bench: 'credit-refunds', metric: 'one account: p50 latency', value: percentile(single.latencies, 50), unit: 'ms' });
    report({ bench: 'credit-refunds', metric: 'one account: p95 latency', value: percentile(single.latencies, 95), unit: 'ms' });

    const spread = await refunds(
      db,
      Array.from({ length: count }, (_, i) => many[i % many.length] as string),
      8,
    );
    report({
      bench: 'credit-refunds',
      metric: `${count} refunds over 50 accounts, 8 at a time: refunds per second`,
      value: count / (spread.wallMs / 1000),
      unit: '/s',
    });
    report({ bench: 'credit-refunds', metric: '50 accounts: p50 latency', value: percentile(spread.latencies, 50), unit: 'ms' });
    report({ bench: 'credit-refunds', metric: '50 accounts: p95 latency', value: percentile(spread.latencies, 95), unit: 'ms' });

    const notes = await check(db);
    const [left] = (await db('customer_credits').where({ account_id: one }).sum({ sum: 'remaining' })) as { sum: string }[];
    process.stderr.write(`${notes} credit notes, numbered without a gap; account ${one} has ${formatCents(toCents(left?.sum ?? '0'))} EUR left\n`);
  } finally {
    await db.destroy();
  }
}
