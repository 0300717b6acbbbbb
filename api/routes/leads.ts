// Lead capture: one lead starts one journey, and the answer carries the stage after capture, dedupe
// and assignment when that takes under ~1.5 s; otherwise 202 with where the journey is now, and the
// client polls GET /v1/journeys/{id}. A CSV import starts one journey per new valid row (api/leadImport.ts).
import { z } from 'zod';
import { recordStartedJourney, type StartedJourney } from '../../db/queries/journeys';
import { leadInputSchema, type LeadInput, type ProcessDefinition } from '../../machines/index';
import type { JourneyState } from '../../workflows/messages';
import { userOf } from '../auth';
import { CsvError, parseCsv } from '../csv';
import { definitionForLead, leadRouter } from '../processRouting';
import type { ApiDeps } from '../deps';
import { ApiError, badRequest, toApiError } from '../errors';
import { journeyIdOf } from '../idempotency';
import { assignmentOf, assignmentSchema } from '../leadAssignment';
import { capturedLeads, importedJourneyId, knownJourneys } from '../leadImport';
import { startJourney, startJourneyDetached, workflowIdOf } from '../journeyClient';
import { errors, type App } from '../schemas';

const leadBody = z.strictObject(leadInputSchema.shape);

const leadCreated = z.object({
  journeyId: z.string(),
  leadId: z.string().nullable().describe('null when lead capture has not finished (e.g. parked)'),
  stage: z.string(),
  status: z.string(),
  duplicateOf: z.string().optional().describe('the earlier lead this one was merged into'),
  allowedEvents: z.array(z.string()),
  assignment: assignmentSchema.optional(),
});

/** One column per flat lead field; addresses are not imported from CSV (set them on the journey). */
const COLUMNS = (Object.keys(leadInputSchema.shape) as (keyof LeadInput)[]).filter((c) => c !== 'billingAddress' && c !== 'shippingAddress');
const MAX_ROWS = 1_000;
const IMPORT_CONCURRENCY = 8;

const importRow = z.object({
  row: z.number().int().describe('the data row: 1 is the first line after the header'),
  line: z.number().int().describe('the line of the file where the row starts'),
  status: z
    .enum(['created', 'existing', 'invalid', 'failed'])
    .describe('created: this upload started its journey; existing: an earlier upload (or a row above) did, nothing was started'),
  journeyId: z.string().optional(),
  leadId: z.string().nullable().optional().describe('null while capture has not finished: poll GET /v1/journeys/{journeyId}, or upload again'),
  duplicateOf: z.string().optional().describe('the earlier lead of the same person (same email, phone, or name at the company)'),
  errors: z.array(z.object({ path: z.string().describe('rows[<row>].<column>'), message: z.string() })).optional(),
});
type ImportRow = z.infer<typeof importRow>;

function captured(state: JourneyState): { leadId: string; duplicateOf: string | null } | null {
  const results = state.context.results as { captureLead?: { leadId?: unknown; duplicateOf?: unknown } } | undefined;
  const capture = results?.captureLead;
  if (!capture || typeof capture.leadId !== 'string') return null;
  return { leadId: capture.leadId, duplicateOf: typeof capture.duplicateOf === 'string' ? capture.duplicateOf : null };
}

/** One CSV row as lead input: header names are the JSON field names (case-insensitive). */
function rowToLead(header: (keyof LeadInput)[], cells: string[], defaultSource: string): Record<string, unknown> {
  const lead: Record<string, unknown> = { source: defaultSource };
  header.forEach((column, i) => {
    const value = (cells[i] ?? '').trim();
    if (value === '') return;
    lead[column] = column === 'companySize' && /^\d+$/.test(value) ? Number(value) : value;
  });
  return lead;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Where a journey whose capture has not settled is now: its projection, or its first stage. */
async function stageNow(db: ApiDeps['db'], journeyId: string, initial: string): Promise<{ stage: string; status: string }> {
  const row = (await db('journeys').where({ id: journeyId }).first('stage', 'status')) as { stage: string; status: string } | undefined;
  return row ?? { stage: initial, status: 'running' };
}

function startedJourney(journeyId: string, definition: ProcessDefinition, ownerId: string, lead: LeadInput): StartedJourney {
  return {
    journeyId,
    workflowId: workflowIdOf(journeyId),
    definition: { key: definition.key, version: definition.version },
    stage: definition.initial,
    ownerId,
    lead,
  };
}

/** A 503 after the start was sent names the journey, so the client checks it instead of duplicating it. */
function mayHaveStarted(error: unknown, journeyId: string): unknown {
  const mapped = toApiError(error);
  if (!mapped || mapped.status !== 503) return error;
  return new ApiError(
    503,
    mapped.code,
    `${mapped.message}; the journey ${journeyId} may have been started: look it up, or retry with the same Idempotency-Key`,
    { journeyId },
  );
}

export function leadRoutes(app: App, deps: ApiDeps): void {
  const { db } = deps;

  app.post(
    '/v1/leads',
    {
      config: { roles: ['sales_rep', 'sales_manager', 'admin'] },
      schema: {
        tags: ['leads'],
        summary: 'Capture a lead: starts its journey and answers with the stage after capture',
        description:
          '201 with the stage after capture; 202 when capture is still running (slow, or no worker yet): the journey was started, poll GET /v1/journeys/{journeyId}. ' +
          'With an Idempotency-Key a retry names the same journey, never a second one; a 503 names in details.journeyId the journey that may have been started.',
        body: leadBody,
        response: { 201: leadCreated, 202: leadCreated, ...errors(400, 403, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const journeyId = journeyIdOf(request);
      const definition = await definitionForLead(db, request.body);
      const state = await startJourney(deps, { journeyId, definition, lead: request.body }, user.roles).catch((error: unknown) => {
        throw mayHaveStarted(error, journeyId);
      });
      if (!state) {
        // Started, capture not run yet: the caller may poll the journey at once.
        await recordStartedJourney(db, startedJourney(journeyId, definition, user.id, request.body));
        void reply.code(202).header('location', `/v1/journeys/${journeyId}`);
        return { journeyId, leadId: null, ...(await stageNow(db, journeyId, definition.initial)), allowedEvents: [] };
      }
      let lead = captured(state);
      if (!lead) {
        const row = (await db('leads').where({ journey_id: journeyId }).orderBy('created_at').first()) as
          { id: string; duplicate_of: string | null } | undefined;
        lead = row ? { leadId: row.id, duplicateOf: row.duplicate_of } : null;
      }
      const assignment = await assignmentOf(db, journeyId, user);
      void reply.code(201);
      return {
        journeyId,
        leadId: lead?.leadId ?? null,
        stage: state.stage,
        status: state.status,
        ...(lead?.duplicateOf ? { duplicateOf: lead.duplicateOf } : {}),
        allowedEvents: state.allowedEvents,
        ...(assignment ? { assignment } : {}),
      };
    },
  );

  app.post(
    '/v1/leads/import',
    {
      config: { roles: ['sales_manager', 'ops', 'admin'] },
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ['leads'],
        summary: 'Import leads from CSV (text/csv); one journey per valid row, a result per row',
        description:
          `The first line names the columns: ${COLUMNS.join(', ')} (any order; source defaults to the query's source). At most ${MAX_ROWS} rows. ` +
          "Safe to upload again: a row's journey id is derived from its fields (and source), so the same row, in this file or another, " +
          'names the same journey and lead and starts nothing new (status existing). Each row answers with its journeyId, the leadId capture recorded ' +
          '(null when capture has not finished within a few seconds) and duplicateOf when the person was already known; an invalid row names each ' +
          'field as rows[<row>].<column>. With an Idempotency-Key a retry replays the first answer.',
        consumes: ['text/csv'],
        querystring: z.strictObject({ source: leadInputSchema.shape.source.default('import') }),
        body: z.string().min(1).describe('CSV text'),
        response: {
          200: z.object({
            created: z.number().int(),
            existing: z.number().int(),
            invalid: z.number().int(),
            failed: z.number().int(),
            rows: z.array(importRow),
          }),
          ...errors(400, 403, 413, 415),
        },
      },
    },
    async (request) => {
      let table;
      try {
        table = parseCsv(request.body);
      } catch (error) {
        if (error instanceof CsvError) throw badRequest(`line ${error.line}: ${error.message}`, [{ path: `body.line.${error.line}`, message: error.message }]);
        throw error;
      }
      const header = table.header.map((h) => COLUMNS.find((c) => c.toLowerCase() === h.toLowerCase()));
      const unknown = table.header.filter((_, i) => header[i] === undefined);
      if (unknown.length > 0) {
        throw badRequest(
          `unknown column(s): ${unknown.join(', ')}; columns are ${COLUMNS.join(', ')}`,
          unknown.map((u) => ({ path: `body.header.${u}`, message: 'unknown column' })),
        );
      }
      const duplicates = header.filter((h, i) => header.indexOf(h) !== i);
      if (duplicates.length > 0)
        throw badRequest(
          `duplicate column(s): ${duplicates.join(', ')}`,
          duplicates.map((d) => ({ path: `body.header.${String(d)}`, message: 'duplicate column' })),
        );
      if (table.rows.length > MAX_ROWS) throw new ApiError(413, 'payload_too_large', `at most ${MAX_ROWS} rows per import; this file has ${table.rows.length}`);
      const columns = header as (keyof LeadInput)[];
      const definitionOf = await leadRouter(db);

      const user = userOf(request);
      // Parsed first, so that the journeys already known are looked up in one query.
      const parsedRows = table.rows.map(({ line, cells }, i) => {
        const row = i + 1;
        if (cells.length > columns.length)
          return { row, line, errors: [{ path: `rows[${row}]`, message: `${cells.length} cells for ${columns.length} columns` }] };
        const parsed = leadBody.safeParse(rowToLead(columns, cells, request.query.source));
        if (!parsed.success)
          return { row, line, errors: parsed.error.issues.map((issue) => ({ path: [`rows[${row}]`, ...issue.path].join('.'), message: issue.message })) };
        return { row, line, lead: parsed.data, journeyId: importedJourneyId(parsed.data) };
      });
      const known = await knownJourneys(
        db,
        parsedRows.flatMap((r) => (r.journeyId ? [r.journeyId] : [])),
      );
      const firstRowOf = new Map<string, number>();
      for (const r of parsedRows) if (r.journeyId && !firstRowOf.has(r.journeyId)) firstRowOf.set(r.journeyId, r.row);

      const started = await mapLimit(parsedRows, IMPORT_CONCURRENCY, async (r): Promise<ImportRow> => {
        const { row, line } = r;
        if (!r.lead) return { row, line, status: 'invalid', errors: r.errors ?? [] };
        const { journeyId, lead } = r;
        if (known.has(journeyId) || firstRowOf.get(journeyId) !== row) return { row, line, status: 'existing', journeyId };
        const definition = await definitionOf(lead);
        try {
          await startJourneyDetached(deps, { journeyId, definition, lead });
          await recordStartedJourney(db, startedJourney(journeyId, definition, user.id, lead));
          return { row, line, status: 'created', journeyId };
        } catch (error) {
          const mapped = toApiError(error);
          if (!mapped) throw error;
          return { row, line, status: 'failed', journeyId, errors: [{ path: `rows[${row}]`, message: mapped.message }] };
        }
      });
      const leads = await capturedLeads(
        db,
        started.flatMap((r) => (r.journeyId && r.status !== 'failed' ? [r.journeyId] : [])),
      );
      const rows = started.map((r): ImportRow => {
        if (!r.journeyId || r.status === 'failed') return r;
        const lead = leads.get(r.journeyId);
        return { ...r, leadId: lead?.leadId ?? null, ...(lead?.duplicateOf ? { duplicateOf: lead.duplicateOf } : {}) };
      });
      const count = (status: ImportRow['status']) => rows.filter((r) => r.status === status).length;
      return { created: count('created'), existing: count('existing'), invalid: count('invalid'), failed: count('failed'), rows };
    },
  );
}
