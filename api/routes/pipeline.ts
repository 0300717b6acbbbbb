// The sales pipeline: journeys and their amounts per stage, within the caller's scope.
import { z } from 'zod';
import { formatCents, toCents } from '../../db/money';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { applyScope, scopeOf } from '../scoping';
import { errors, moneySchema, type App } from '../schemas';

/** The stages of DESIGN.md section 3 in journey order; stages of other definitions follow by name. */
const STAGE_ORDER = [
  'lead', 'qualification', 'nurture', 'opportunity', 'quoting', 'quote_sent', 'ordering', 'fulfilment', 'invoicing',
  'awaiting_payment', 'collections', 'paid', 'closed', 'disqualified', 'lost', 'cancelled', 'written_off',
];

const stageRank = (stage: string) => {
  const i = STAGE_ORDER.indexOf(stage);
  return i === -1 ? STAGE_ORDER.length : i;
};

const pipelineSchema = z.object({
  stages: z.array(z.object({ stage: z.string(), count: z.number().int(), amounts: z.array(moneySchema).describe('sum per currency') })),
  total: z.object({ count: z.number().int(), amounts: z.array(moneySchema) }),
});

export function pipelineRoutes(app: App, deps: ApiDeps): void {
  app.get('/v1/pipeline', {
    schema: {
      tags: ['journeys'],
      summary: 'Counts and amounts per stage (scoped to the caller)',
      querystring: z.strictObject({ definition: z.string().min(1).max(64).optional().describe('only journeys of this process key') }),
      response: { 200: pipelineSchema, ...errors(400) },
    },
  }, async (request) => {
    const scope = await scopeOf(deps.db, userOf(request));
    const query = applyScope(deps.db('journeys'), scope)
      .select('stage', 'currency')
      .count('* as count')
      .select(deps.db.raw('coalesce(sum(amount), 0)::numeric(18,2)::text as amount'))
      .groupBy('stage', 'currency');
    if (request.query.definition) void query.where('definition_key', request.query.definition);
    const rows = (await query) as { stage: string; currency: string | null; count: string; amount: string }[];
    const stages = new Map<string, { stage: string; count: number; amounts: { amount: string; currency: string }[] }>();
    const totals = new Map<string, bigint>();
    let totalCount = 0;
    for (const row of rows) {
      const entry = stages.get(row.stage) ?? { stage: row.stage, count: 0, amounts: [] };
      entry.count += Number(row.count);
      totalCount += Number(row.count);
      if (row.currency) {
        entry.amounts.push({ amount: row.amount, currency: row.currency });
        totals.set(row.currency, (totals.get(row.currency) ?? 0n) + toCents(row.amount));
      }
      stages.set(row.stage, entry);
    }
    return {
      stages: [...stages.values()]
        .map((s) => ({ ...s, amounts: s.amounts.sort((a, b) => a.currency.localeCompare(b.currency)) }))
        .sort((a, b) => stageRank(a.stage) - stageRank(b.stage) || a.stage.localeCompare(b.stage)),
      total: { count: totalCount, amounts: [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, c]) => ({ amount: formatCents(c), currency })) },
    };
  });
}
