// Liveness (the process answers) and readiness (PostgreSQL and Temporal are reachable).
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps';

async function check(name: string, probe: () => Promise<unknown>): Promise<{ name: string; ok: boolean; error?: string }> {
  try {
    await probe();
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: (error as Error).message };
  }
}

export function healthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const checks = await Promise.all([
      check('postgres', () => deps.db.raw('select 1')),
      check('temporal', () => deps.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ready = checks.every((c) => c.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
}
