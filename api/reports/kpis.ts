// The KPI report (DESIGN.md section 7.4): the figures of one period over the journeys a caller
// may see, from the stage-transition history, and the same figures per owner, team or month.
import type { Db } from '../../db/connection';
import { formatCents, roundDiv, toCents } from '../../db/money';
import { lengthPercentiles, MILESTONES, milestoneFigures, receivablesAgeing, stageStates, type JourneySet, type KpiWindow } from '../../db/queries/kpis';
import { defaultProcess, type ProcessDefinition } from '../../machines/index';
import { definitionOf } from '../definitions';
import { STAGE_ORDER } from '../routes/pipeline';
import { applyScope, type Scope } from '../scoping';
import type { KpiFigures, KpiReport } from './kpiSchema';

type Money = KpiFigures['pipeline']['total'];

export type GroupBy = 'owner' | 'team' | 'month';

export interface KpiPeriod {
  /** First instant of the period: the start of a UTC day (the roll-ups count whole days). */
  from: Date;
  /** First instant after it: the start of a UTC day. */
  to: Date;
  currency: string;
}

const DAY_MS = 86_400_000;
const round = (value: number | null, places: number) => (value === null ? null : Math.round(value * 10 ** places) / 10 ** places);
const ratio = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));
const stageRank = (stage: string) => {
  const i = STAGE_ORDER.indexOf(stage);
  return i === -1 ? STAGE_ORDER.length : i;
};
const byStageOrder = (a: { stage: string }, b: { stage: string }) => stageRank(a.stage) - stageRank(b.stage) || a.stage.localeCompare(b.stage);

/** The journeys' definitions (cached): unknown ones read as the built-in default. */
async function definitionsOf(db: Db, keys: { definition_key: string; definition_version: number }[]): Promise<Map<string, ProcessDefinition>> {
  const found = new Map<string, ProcessDefinition>();
  for (const k of keys) {
    const id = `${k.definition_key}@${k.definition_version}`;
    if (!found.has(id)) found.set(id, (await definitionOf(db, k.definition_key, k.definition_version)) ?? defaultProcess);
  }
  return found;
}

/** A stage's probability; a definition that gives none borrows the default process's for the same stage. */
function probabilityOf(def: ProcessDefinition, stage: string): number {
  return def.stages[stage]?.probability ?? defaultProcess.stages[stage]?.probability ?? 0;
}

/** Every figure of 7.4 for the journeys of `journeys` over one window. */
async function figures(db: Db, journeys: JourneySet, w: KpiWindow): Promise<KpiFigures> {
  const money = (cents: bigint): Money => ({ amount: formatCents(cents), currency: w.currency });
  const cents = (amount: string | null) => (amount === null ? 0n : toCents(amount));

  // Independent queries: on a pooled connection each, so they may run side by side.
  const [states, m, lengths] = await Promise.all([stageStates(db, journeys, w), milestoneFigures(db, journeys, w), lengthPercentiles(db, journeys, w)]);
  const cycle = lengths.find((l) => l.measure === 'cycle');
  const orderToCash = lengths.find((l) => l.measure === 'order_to_cash');
  const inDays = (seconds: number | undefined) => (seconds === undefined ? null : round(seconds / 86_400, 2));
  const definitions = await definitionsOf(db, states);
  const byStage = new Map<string, { stage: string; count: number; cents: bigint; weighted: bigint }>();
  for (const row of states) {
    const def = definitions.get(`${row.definition_key}@${row.definition_version}`) ?? defaultProcess;
    const open = !def.final.includes(row.stage) && !(MILESTONES.won as readonly string[]).includes(row.stage);
    if (!open) continue;
    const entry = byStage.get(row.stage) ?? { stage: row.stage, count: 0, cents: 0n, weighted: 0n };
    entry.count += Number(row.count);
    entry.cents += cents(row.amount);
    // Probabilities are fractions of 1 with at most a few decimals: exact enough in ten-thousandths.
    entry.weighted += roundDiv(cents(row.amount) * BigInt(Math.round(probabilityOf(def, row.stage) * 10_000)), 10_000n);
    byStage.set(row.stage, entry);
  }
  const stages = [...byStage.values()].sort(byStageOrder);

  const wonCount = Number(m.won);
  const wonInCurrency = Number(m.won_in_currency);

  const paymentTerms = [...definitions.values()].map((def) => ({ key: def.key, version: def.version, terms: def.policies.paymentTerms }));
  const ageing = await receivablesAgeing(db, journeys, w, paymentTerms);
  const receivable = [ageing.current, ageing.d1_30, ageing.d31_60, ageing.d61_90, ageing.d90_plus].reduce((sum, a) => sum + cents(a), 0n);
  const invoiced = cents(m.invoiced);
  const days = (w.asOf.getTime() - w.from.getTime()) / DAY_MS;

  return {
    pipeline: {
      byStage: stages.map((s) => ({ stage: s.stage, count: s.count, amount: money(s.cents), weighted: money(s.weighted) })),
      total: money(stages.reduce((sum, s) => sum + s.cents, 0n)),
      weighted: money(stages.reduce((sum, s) => sum + s.weighted, 0n)),
    },
    winRate: {
      count: ratio(wonCount, Number(m.decided)),
      value: cents(m.decided_value) === 0n ? null : round(Number(cents(m.won_value)) / Number(cents(m.decided_value)), 4),
    },
    conversion: [
      { from: 'lead' as const, to: 'opportunity' as const, rate: ratio(Number(m.reached_opportunity), Number(m.cohort)) },
      { from: 'opportunity' as const, to: 'order' as const, rate: ratio(Number(m.reached_order), Number(m.reached_opportunity)) },
      { from: 'order' as const, to: 'paid' as const, rate: ratio(Number(m.reached_paid), Number(m.reached_order)) },
    ],
    cycleTimeDays: { median: inDays(cycle?.p50), p80: inDays(cycle?.p80) },
    averageDealSize: wonInCurrency === 0 ? null : money(roundDiv(cents(m.won_value), BigInt(wonInCurrency))),
    timeInStage: lengths
      .filter((l) => l.measure === 'stay')
      .map((l) => ({ stage: l.stage, medianHours: round(l.p50 / 3600, 2)!, p90Hours: round(l.p90 / 3600, 2)! }))
      .sort(byStageOrder),
    receivables: {
      ageing: {
        current: money(cents(ageing.current)),
        d1_30: money(cents(ageing.d1_30)),
        d31_60: money(cents(ageing.d31_60)),
        d61_90: money(cents(ageing.d61_90)),
        d90_plus: money(cents(ageing.d90_plus)),
      },
      // Days of sales outstanding: what is due now against what was invoiced over the period.
      dsoDays: invoiced === 0n || days <= 0 ? null : round((Number(receivable) / Number(invoiced)) * days, 1),
    },
    orderToCashDays: { median: inDays(orderToCash?.p50) },
  };
}

const windowOf = (from: Date, to: Date, currency: string, now: Date): KpiWindow => ({ from, asOf: new Date(Math.min(to.getTime(), now.getTime())), currency });

/** The months of a period, each clipped to it. */
function monthsOf(period: KpiPeriod, now: Date): { key: string; from: Date; to: Date }[] {
  const months = [];
  let start = new Date(Date.UTC(period.from.getUTCFullYear(), period.from.getUTCMonth(), 1));
  while (start < period.to && start <= now) {
    const next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    months.push({ key: start.toISOString().slice(0, 7), from: start < period.from ? period.from : start, to: next > period.to ? period.to : next });
    start = next;
  }
  return months;
}

export async function kpiReport(db: Db, scope: Scope, period: KpiPeriod, groupBy: GroupBy | undefined, now: Date): Promise<KpiReport> {
  const scoped = (): JourneySet => ({ ids: applyScope(db('journeys').select('journeys.id'), scope), every: scope.all });
  const report: KpiReport = await figures(db, scoped(), windowOf(period.from, period.to, period.currency, now));
  if (!groupBy) return report;

  if (groupBy === 'month') {
    report.groups = [];
    for (const month of monthsOf(period, now)) {
      report.groups.push({ group: month.key, label: month.key, ...(await figures(db, scoped(), windowOf(month.from, month.to, period.currency, now))) });
    }
    return report;
  }

  // Owners and teams of the journeys in scope; a journey without one is in the group null.
  const keyColumn = groupBy === 'owner' ? 'journeys.owner_id' : 'users.team';
  const keys = (await applyScope(db('journeys').leftJoin('users', 'users.id', 'journeys.owner_id'), scope)
    .distinct({ group: keyColumn, label: groupBy === 'owner' ? 'users.name' : 'users.team' })
    .orderBy('group')) as { group: string | null; label: string | null }[];
  report.groups = [];
  for (const key of keys) {
    const members = scoped().ids.leftJoin('users', 'users.id', 'journeys.owner_id');
    void (key.group === null ? members.whereNull(keyColumn) : members.where(keyColumn, key.group));
    report.groups.push({ ...key, ...(await figures(db, { ids: members, every: false }, windowOf(period.from, period.to, period.currency, now))) });
  }
  return report;
}
