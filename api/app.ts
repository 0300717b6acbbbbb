// The HTTP API: Fastify with zod-validated routes (DESIGN.md section 5). `buildApp` is the entry
// for tests (`app.inject()`) and for main.ts.
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { installAuth, upsertBootstrapAdmin } from './auth';
import { UserCache } from './userCache';
import type { ApiDeps } from './deps';
import { clientErrorHandler, frameworkErrors, installErrorHandler } from './errors';
import { installIdempotency } from './idempotency';
import { installBodyParsers } from './jsonBody';
import { installMetrics } from './metrics';
import { installOpenApi } from './openapi';
import { defaultRateLimit, installRateLimit, type RateLimitOptions } from './rateLimit';
import { refuseNulCharacters } from './textInput';
import { addressRoutes } from './routes/addresses';
import { bankRoutes } from './routes/bank';
import { creditRoutes } from './routes/credit';
import { documentRoutes } from './routes/documents';
import { eventRoutes } from './routes/events';
import { financeRoutes } from './routes/finance';
import { defaultFormRateLimit, formRoutes } from './routes/forms';
import { healthRoutes } from './routes/health';
import { journeyRoutes } from './routes/journeys';
import { leadRoutes } from './routes/leads';
import { pipelineRoutes } from './routes/pipeline';
import { processLabelRoutes } from './routes/processLabels';
import { processDefinitionRoutes } from './routes/processDefinitions';
import { processRoutingRoutes } from './routes/processRouting';
import { responseRuleRoutes } from './routes/responseRules';
import { emailTemplateRoutes } from './routes/emailTemplates';
import { migrationRoutes } from './routes/migrations';
import { unsubscribeRoutes } from './routes/unsubscribe';
import { productRoutes } from './routes/products';
import { purchaseOrderRoutes } from './routes/purchaseOrders';
import { queueRoutes } from './routes/queues';
import { reportRoutes } from './routes/reports';
import { userRoutes } from './routes/users';
import { registerConsole } from '../web/serve';

export interface AppOptions {
  /** JSON logs (pino); to stdout, or to the stream given. */
  logger?: boolean | { stream: DestinationStream; level?: string };
  rateLimit?: RateLimitOptions;
  /** Largest JSON body in bytes (CSV imports have their own limit). */
  bodyLimit?: number;
  /** How long a sign-in is kept when no change to users is heard of (api/userCache.ts). */
  userCacheTtlMs?: number;
  /** Web form submissions per client address (api/routes/forms.ts). */
  formRateLimit?: { max: number; windowMs: number };
}

export async function buildApp(deps: ApiDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const logger = options.logger
    ? {
        level: typeof options.logger === 'object' ? (options.logger.level ?? 'info') : 'info',
        // Tokens never reach the log: the header is redacted, bodies are not logged.
        redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
        ...(typeof options.logger === 'object' ? { stream: options.logger.stream } : {}),
      }
    : false;
  const app = Fastify({
    logger,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    requestIdHeader: false,
    ajv: undefined,
    // Errors raised before a route runs (a malformed or too long URL, oversized headers) keep the
    // documented shape too. Ids are at most 64 characters; a longer path segment is refused with 414.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  installBodyParsers(app);

  if (deps.bootstrapToken) await upsertBootstrapAdmin(deps.db, deps.bootstrapToken);

  installErrorHandler(app);
  refuseNulCharacters(app);
  // Before the OpenAPI document and the routes: it documents the header on each route it covers.
  installIdempotency(app, deps.db);
  await installOpenApi(app);
  await installRateLimit(app, deps.db, options.rateLimit ?? defaultRateLimit);
  const userCache = UserCache.of(deps.db, options.userCacheTtlMs);
  await userCache.start();
  app.addHook('onClose', () => userCache.close());
  installAuth(app, deps.db, userCache);
  installMetrics(app, deps);

  healthRoutes(app, deps);
  userRoutes(app, deps);
  productRoutes(app, deps);
  purchaseOrderRoutes(app, deps);
  leadRoutes(app, deps);
  formRoutes(app, deps, options.formRateLimit ?? defaultFormRateLimit);
  journeyRoutes(app, deps);
  addressRoutes(app, deps);
  eventRoutes(app, deps);
  financeRoutes(app, deps);
  bankRoutes(app, deps);
  creditRoutes(app, deps);
  documentRoutes(app, deps);
  processDefinitionRoutes(app, deps);
  processRoutingRoutes(app, deps);
  responseRuleRoutes(app, deps);
  emailTemplateRoutes(app, deps);
  migrationRoutes(app, deps);
  unsubscribeRoutes(app, deps);
  pipelineRoutes(app, deps);
  processLabelRoutes(app, deps);
  queueRoutes(app, deps);
  reportRoutes(app, deps);
  await registerConsole(app);

  await app.ready();
  return app;
}
