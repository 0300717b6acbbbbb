// A year of demo history for `npm start`, so the reports have something to show on a fresh
// machine: a few hundred journeys written as projection rows, audit entries and stage transitions
// of the default process (no running workflows: they are history, viewed from the projection).
// Written once, into a database that holds no journey at all; the same every time (seeded random).
import type { Knex } from 'knex';
import { formatCents, percentOf, toCents } from '../money';
import { demoUsers } from './demo';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const VAT_PCT = 19;

/** mulberry32: a small deterministic generator, so every fresh start shows the same history. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const COMPANIES = [
  'Nordlicht AG',
  'Baltic Trade',
  'Alpenblick GmbH',
  'Rhein Logistik',
  'Lumen SARL',
  'Kestrel Ltd',
  'Vega BV',
  'Orbis SA',
  'Tundra Oy',
  'Meridian plc',
];

interface Step {
  stage: string;
  at: Date;
  amount: string | null;
}

/** One journey's walk through the default process, stopped where `now` finds it. */
function walk(rand: () => number, start: Date, now: Date, quoteTotal: bigint): Step[] {
  const steps: Step[] = [{ stage: 'lead', at: start, amount: null }];
  let at = start.getTime();
  let amount: string | null = null;
  /** Moves on after some days; false (and the journey rests where it is) when that is after now. */
  const go = (stage: string, minDays: number, maxDays: number): boolean => {
    const next = at + (minDays + rand() * (maxDays - minDays)) * DAY_MS;
    if (next > now.getTime()) return false;
    at = Math.round(next / HOUR_MS) * HOUR_MS;
    steps.push({ stage, at: new Date(at), amount });
    return true;
  };
  const chance = (p: number) => rand() < p;
  /** The walk's last move (if it happens before now). */
  const end = (stage: string, minDays: number, maxDays: number): Step[] => {
    go(stage, minDays, maxDays);
    return steps;
  };

  if (chance(0.12)) return end('disqualified', 0.2, 3);
  if (!go('qualification', 0.1, 2)) return steps;
  if (chance(0.1)) {
    if (!go('nurture', 0.5, 3)) return steps;
    if (chance(0.6)) return end('disqualified', 20, 90);
    if (!go('qualification', 10, 60)) return steps;
  }
  if (!go('opportunity', 0.5, 4)) return steps;
  if (chance(0.2)) return end('lost', 5, 40);
  amount = formatCents(quoteTotal);
  if (!go('quoting', 1, 7) || !go('quote_sent', 0.1, 2)) return steps;
  if (chance(0.18)) return end('lost', 3, 25);
  if (!go('ordering', 2, 20)) return steps;
  if (chance(0.05)) return end('cancelled', 1, 4);
  if (!go('fulfilment', 0.2, 2) || !go('invoicing', 1, 8) || !go('awaiting_payment', 0, 0.2)) return steps;
  if (chance(0.85)) {
    // Paid, the journey closes at once.
    amount = '0.00';
    return go('paid', 5, 50) ? end('closed', 0, 0) : steps;
  }
  // Unpaid at the final notice (due + 35 days with P30D terms).
  if (!go('collections', 65, 65)) return steps;
  if (chance(0.5)) {
    amount = '0.00';
    return go('paid', 5, 40) ? end('closed', 0, 0) : steps;
  }
  return end('written_off', 20, 60);
}

const FINAL = ['closed', 'disqualified', 'lost', 'cancelled', 'written_off'];

/**
 * Writes `count` journeys started over the year before `now`. Does nothing (and answers 0) when
 * the database holds any journey: demo history never mixes with real work.
 */
export async function seedDemoHistory(db: Knex, options: { now?: Date; count?: number } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const count = options.count ?? 300;
  const rand = random(20_260_101);
  const prices = ((await db('price_book').where({ currency: 'EUR' }).select('unit_price')) as { unit_price: string }[]).map((p) => toCents(p.unit_price));
  if (prices.length === 0) prices.push(10_000n);
  const reps = demoUsers.filter((u) => (u.roles as readonly string[]).includes('sales_rep')).map((u) => u.id);

  return db.transaction(async (trx) => {
    // Under a lock, so two starts at once cannot both find the database empty.
    await trx.raw('lock table journeys in exclusive mode');
    if ((await trx('journeys').first('id')) !== undefined) return 0;
    for (let n = 1; n <= count; n++) {
      const id = `jrn_demo_${String(n).padStart(4, '0')}`;
      const start = new Date(now.getTime() - rand() * 365 * DAY_MS);
      const net = Array.from(
        { length: 1 + Math.floor(rand() * 3) },
        () => prices[Math.floor(rand() * prices.length)]! * BigInt(1 + Math.floor(rand() * 25)),
      ).reduce((a, b) => a + b, 0n);
      const steps = walk(rand, start, now, net + percentOf(net, VAT_PCT));
      const last = steps.at(-1)!;
      const company = COMPANIES[n % COMPANIES.length]!;
      await trx('journeys').insert({
        id,
        workflow_id: `demo-history-${id}`,
        definition_key: 'lead-to-cash',
        definition_version: 1,
        stage: last.stage,
        status: FINAL.includes(last.stage) ? 'done' : 'waiting',
        stage_entered_at: last.at,
        owner_id: reps[Math.floor(rand() * reps.length)]!,
        lead_name: `Demo contact ${n}`,
        lead_email: `demo.${n}@${company.toLowerCase().replace(/[^a-z]+/g, '-')}.example`,
        company,
        amount: last.amount,
        currency: last.amount === null ? null : 'EUR',
        version: 1,
        created_at: start,
        updated_at: last.at,
      });
      await trx('journey_audit').insert(
        steps.map((s, i) => ({
          journey_id: id,
          seq: i + 1,
          at: s.at,
          type: i === 0 ? 'started' : 'transition',
          stage: s.stage,
          detail: JSON.stringify(i === 0 ? { definition: 'lead-to-cash@1', source: 'demo' } : { from: steps[i - 1]!.stage, to: s.stage }),
        })),
      );
      await trx('journey_transitions').insert(
        steps.map((s, i) => ({
          journey_id: id,
          seq: i + 1,
          at: s.at,
          from_stage: i === 0 ? null : steps[i - 1]!.stage,
          to_stage: s.stage,
          amount: s.amount,
          currency: s.amount === null ? null : 'EUR',
        })),
      );
    }
    return count;
  });
}
