// Liveness (the process answers) and readiness (PostgreSQL and Temporal are reachable). The route
// is public, so the probes run at most once per FIGURES_INTERVAL_MS and callers share their answer.
import { z } from 'zod';
import { cachedFor, FIGURES_INTERVAL_MS } from '../cached';
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
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: { tags: ['health'], summary: 'The process answers', response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  const probes = cachedFor(FIGURES_INTERVAL_MS, () =>
    Promise.all([check('postgres', () => deps.db.raw('select 1')), check('temporal', () => deps.temporal.connection.workflowService.getSystemInfo({}))]),
  );

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'PostgreSQL and Temporal are reachable',
        description: 'The checks are at most a few seconds old: they run once per interval, whoever asks.',
        response: { 200: z.object({ status: z.string(), checks: z.array(checkSchema) }), 503: z.object({ status: z.string(), checks: z.array(checkSchema) }) },
      },
    },
    async (_request, reply) => {
      const checks = await probes();
      const ready = checks.every((c) => c.ok);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
}
