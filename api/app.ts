// The HTTP API: Fastify with zod-validated routes (DESIGN.md section 5).
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps';
import { healthRoutes } from './routes/health';

export async function buildApp(deps: ApiDeps, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info', redact: ['req.headers.authorization'] } : false,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  });
  healthRoutes(app, deps);
  await app.ready();
  return app;
}
