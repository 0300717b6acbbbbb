// GET /v1/reports/kpis (DESIGN.md section 7.4): sales and finance KPIs from the journeys' own
// stage-transition history, within the caller's scope, as JSON or (Accept: text/csv) CSV.
import { z } from 'zod';
import { calendarDay } from '../../machines/schema/bounds';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { kpiCsv } from '../reports/kpiCsv';
import { kpiReport } from '../reports/kpis';
import { reportSchema } from '../reports/kpiSchema';
import { scopeOf } from '../scoping';
import { errors, type App } from '../schemas';

const DAY_MS = 86_400_000;
/** Longest period one report covers: five years of months is plenty and bounds the work. */
const MAX_DAYS = 5 * 366;

const day = calendarDay.describe('a calendar day, YYYY-MM-DD (UTC)');
const querySchema = z
  .strictObject({
    from: day.optional().describe(`first day of the period (default: 364 days before \`to\`); not after \`to\`, and at most ${MAX_DAYS} days before it`),
    to: day.optional().describe('last day of the period, included (default: today)'),
    groupBy: z.enum(['owner', 'team', 'month']).optional().describe('the same figures per owner, team or calendar month as well'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'a currency code such as EUR')
      .optional()
      .describe('the currency money figures are summed in (default EUR); journeys in others count in counts and times only'),
  })
  .superRefine((q, ctx) => {
    const to = q.to ? Date.parse(q.to) : Date.now();
    if (q.from && Date.parse(q.from) > to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to` (default: today)' });
    if (q.from && (to - Date.parse(q.from)) / DAY_MS > MAX_DAYS)
      ctx.addIssue({ code: 'custom', path: ['from'], message: `a period covers at most ${MAX_DAYS} days` });
  });

export function reportRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/v1/reports/kpis',
    {
      schema: {
        tags: ['reports'],
        summary: 'Pipeline, win rate, conversion, cycle times, time in stage, receivables and DSO for a period (scoped to the caller)',
        description:
          "Read from the journeys' stage-transition history: states (pipeline, receivables) as they stood at the end of the period, " +
          'or now when it ends later. Send `Accept: text/csv` for the same figures as CSV: columns group (`all` or `<groupBy>:<group>`), ' +
          'figure (a dotted path such as `pipeline.byStage.opportunity.weighted`), value, currency.',
        querystring: querySchema,
        response: {
          200: { content: { 'application/json': { schema: reportSchema }, 'text/csv': { schema: z.string() } } },
          ...errors(400),
        },
      },
    },
    async (request, reply) => {
      const now = deps.now?.() ?? new Date();
      const today = now.toISOString().slice(0, 10);
      const lastDay = request.query.to ?? today;
      const to = new Date(Date.parse(lastDay) + DAY_MS);
      const from = new Date(request.query.from ?? Date.parse(lastDay) - 364 * DAY_MS);
      const { groupBy } = request.query;
      const scope = await scopeOf(deps.db, userOf(request));
      const report = await kpiReport(deps.db, scope, { from, to, currency: request.query.currency ?? 'EUR' }, groupBy, now);
      if (request.headers.accept?.includes('text/csv')) {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="kpis-${from.toISOString().slice(0, 10)}-${lastDay}.csv"`)
          .send(kpiCsv(report, groupBy));
      }
      return report;
    },
  );
}
