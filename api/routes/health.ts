// Liveness (the process answers) and readiness (PostgreSQL and Temporal are reachable).
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import type { App } from '../schemas';

const checkSchema = z.object({ name: z.string(), ok: z.boolean(), error: z.string().optional() });
const PROBE_TIMEOUT_MS = 3_000;

async function check(name: string, probe: () => Promise<unknown>): Promise<z.infer<typeof checkSchema>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(app: App, deps: ApiDeps): void {
  app.get('/healthz', {
    config: { public: true },
    schema: { tags: ['health'], summary: 'The process answers', response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: { public: true },
    schema: {
      tags: ['health'],
      summary: 'PostgreSQL and Temporal are reachable',
      response: { 200: z.object({ status: z.string(), checks: z.array(checkSchema) }), 503: z.object({ status: z.string(), checks: z.array(checkSchema) }) },
    },
  }, async (_request, reply) => {
    const checks = await Promise.all([
      check('postgres', () => deps.db.raw('select 1')),
      check('temporal', () => deps.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ready = checks.every((c) => c.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
}
