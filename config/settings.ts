// Runtime settings from the environment (DESIGN.md section 6), read by the API, the worker, the
// migrations and the local stack alike; validated once at start with a clear message naming the
// variable, what was expected and what was found.
import { z } from 'zod';

const url = (protocols: string[], example: string) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `expected a URL such as ${example}`);

/**
 * Journeys a worker keeps in memory unless told otherwise. About 1 MiB each since the workflow
 * loads the zod-free core (docs/BENCHMARKS.md, footprint and open-journeys); the rest are replayed
 * from history when they wake.
 */
export const DEFAULT_WORKFLOW_CACHE = 1_500;

export const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  L2C_DATA_DIR: z.string().min(1).default('.data'),
  L2C_BOOTSTRAP_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user:pass@host:5432/db').optional(),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d{1,5}$/, 'expected host:port such as 127.0.0.1:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  L2C_TASK_QUEUE: z.string().min(1).default('journeys'),
  L2C_WORKFLOW_CACHE: z.coerce.number().int().min(0).max(100_000).default(DEFAULT_WORKFLOW_CACHE),
  SMTP_URL: url(['smtp:', 'smtps:'], 'smtp://127.0.0.1:2525').optional(),
  // Where customers reach the API (links in emails, e.g. unsubscribe); default http://127.0.0.1:PORT.
  L2C_PUBLIC_URL: url(['http:', 'https:'], 'https://crm.example.com').optional(),
  // Demo products, prices, stock and users: `npm start` seeds them unless 0; a deployment's migrate only when 1.
  L2C_SEED_DEMO: z.enum(['0', '1']).optional(),
  // The worker's SDK runtime metrics for Prometheus (GET /metrics on this port); off when unset.
  L2C_WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Mail sent to this port becomes leads (api/inboundEmail.ts); `npm start` picks a free one when unset, a deployment none.
  L2C_INBOUND_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Which Temporal `npm start` runs when TEMPORAL_ADDRESS is unset: the dev server, or the real server on PostgreSQL.
  L2C_TEMPORAL: z.enum(['dev', 'server']).default('dev'),
});

export type Settings = z.infer<typeof settingsSchema>;

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  // Empty variables count as unset, as a shell user would expect.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = settingsSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(present[String(i.path[0])])})`);
  throw new Error(`Invalid settings in the environment:\n${lines.join('\n')}`);
}
