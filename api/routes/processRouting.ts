// GET/PUT /v1/process-routing (DESIGN.md section 7.2): ops choose which process key a new lead
// starts on. A PUT replaces the whole document; the answer carries its version and who saved it.
import { z } from 'zod';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { processRoutingSchema, readRouting, saveRouting, type SavedRouting } from '../processRouting';
import { errors, type App } from '../schemas';

const ROLES = ['ops', 'admin'] as const;

const answerSchema = processRoutingSchema.extend({
  version: z.number().int().describe('0 while nothing was saved: every lead starts on the built-in default'),
  savedBy: z.string().nullable(),
  savedAt: z.string().nullable(),
});

const answer = (saved: SavedRouting) => ({ ...saved.routing, version: saved.version, savedBy: saved.savedBy, savedAt: saved.savedAt?.toISOString() ?? null });

export function processRoutingRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/v1/process-routing',
    {
      config: { roles: ROLES },
      schema: { tags: ['process definitions'], summary: 'Which process key a new lead starts on', response: { 200: answerSchema, ...errors(403) } },
    },
    async () => answer(await readRouting(deps.db)),
  );

  app.put(
    '/v1/process-routing',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['process definitions'],
        summary: 'Replace the routing: rules on source, country and product interest, first match wins, else the default key',
        description: 'Every key named must have a published version (the built-in default counts); new leads start on its current version.',
        body: processRoutingSchema,
        response: { 200: answerSchema, ...errors(400, 403, 422) },
      },
    },
    async (request) => answer(await saveRouting(deps.db, request.body, userOf(request).id)),
  );
}
