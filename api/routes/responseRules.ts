// GET/PUT /v1/response-rules: ops (and admins) edit the ordered rules that route new leads; sales
// managers may read them, since the rules decide which of their reps get which leads.
import { z } from 'zod';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { readRules, responseRulesSchema, saveRules, type SavedRules } from '../responseRules';
import { errors, type App } from '../schemas';
import { expectedVersionOf, expectedVersionSchema, tagVersion } from '../versioning';

const answerSchema = z.object({
  rules: responseRulesSchema,
  version: z.number().int().describe('0 while ops saved nothing: the rules as seeded'),
  savedBy: z.string().nullable(),
  savedAt: z.string().nullable(),
});

const answer = (saved: SavedRules) => ({ rules: saved.rules, version: saved.version, savedBy: saved.savedBy, savedAt: saved.savedAt?.toISOString() ?? null });

export function responseRuleRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/v1/response-rules',
    {
      config: { roles: ['ops', 'sales_manager', 'admin'] },
      schema: {
        tags: ['leads'],
        summary: 'The response rules that give a new lead its team, owner and auto-response',
        response: { 200: answerSchema, ...errors(403) },
      },
    },
    async (_request, reply) => {
      const saved = await readRules(deps.db);
      tagVersion(reply, saved.version);
      return answer(saved);
    },
  );

  app.put(
    '/v1/response-rules',
    {
      config: { roles: ['ops', 'admin'] },
      schema: {
        tags: ['leads'],
        summary: 'Replace the response rules; the next captured lead is routed by them',
        description:
          'The first rule whose conditions all hold names the team (whose reps take turns) or the owner. A list identical to the current one changes nothing and answers the current version. ' +
          'Teams must have active members, owners must be active and hold sales_rep or sales_manager, templates must be auto_response templates: else 422 invalid_rules with each field in details.issues. ' +
          'With expectedVersion (or If-Match) no longer current: 409 stale_version.',
        body: z.strictObject({ rules: responseRulesSchema, expectedVersion: expectedVersionSchema }),
        response: { 200: answerSchema, ...errors(400, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const saved = await saveRules(deps.db, request.body.rules, expectedVersionOf(request, request.body.expectedVersion), userOf(request).id);
      tagVersion(reply, saved.version);
      return answer(saved);
    },
  );
}
