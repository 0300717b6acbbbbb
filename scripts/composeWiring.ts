// What a working docker-compose.yml must wire (README, "Production"): the services the product
// needs, a one-shot migrate that the worker and the API wait for, health checks on every
// long-running service, Temporal reachable only inside the compose network, and the Temporal
// server started from the configuration files under deploy/. Pure: takes the parsed YAML.

interface Service {
  image?: string;
  build?: unknown;
  command?: unknown;
  entrypoint?: unknown;
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  ports?: unknown[];
  volumes?: unknown[];
  restart?: string;
  container_name?: string;
}

export interface ComposeFile {
  services?: Record<string, Service>;
}

const REQUIRED = ['postgres', 'temporal', 'temporal-ui', 'migrate', 'worker', 'api'];
/** Services that run once and exit; every other service runs for good and needs a health check. */
const ONE_SHOT = /^(migrate|temporal-schema|temporal-namespace)$/;
const APP = ['migrate', 'worker', 'api'];
/** Anyone who reaches these can act as any role (the workflow trusts the actor in an update). */
const INTERNAL_ONLY = ['temporal', 'temporal-ui'];

function conditionOf(service: Service, dependency: string): string | null {
  const deps = service.depends_on;
  if (!deps) return null;
  if (Array.isArray(deps)) return deps.includes(dependency) ? 'service_started' : null;
  const entry = deps[dependency];
  return entry ? (entry.condition ?? 'service_started') : null;
}

export function composeProblems(doc: ComposeFile): string[] {
  const services = doc.services ?? {};
  const problems: string[] = [];
  for (const name of REQUIRED) {
    const service = services[name];
    if (!service) problems.push(`service "${name}" is missing`);
    else if (!service.image && !service.build) problems.push(`service "${name}" has neither image nor build`);
  }
  for (const name of APP) {
    const envVars = services[name]?.environment ?? {};
    for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL'])
      if (services[name] && !(key in envVars)) problems.push(`service "${name}" lacks ${key}`);
  }
  for (const name of ['worker', 'api']) {
    const service = services[name];
    if (service && conditionOf(service, 'migrate') !== 'service_completed_successfully') {
      problems.push(`service "${name}" must wait for migrate (depends_on: migrate: condition: service_completed_successfully)`);
    }
    // Several replicas (--scale worker=3) cannot share a fixed name or a host port.
    if (name === 'worker' && service && (service.container_name || (service.ports ?? []).length > 0)) {
      problems.push('service "worker" must not set container_name or publish ports, so that it scales');
    }
  }
  for (const [name, service] of Object.entries(services)) {
    if (ONE_SHOT.test(name)) continue;
    if (!service.healthcheck?.test || service.healthcheck.disable) problems.push(`service "${name}" has no health check`);
  }
  for (const name of INTERNAL_ONLY) {
    if ((services[name]?.ports ?? []).length > 0)
      problems.push(`service "${name}" publishes ports; publish them only through an override (deploy/compose.publish-temporal.yml)`);
  }
  const temporal = services.temporal;
  if (temporal) {
    const mountsConfig = (temporal.volumes ?? []).some((v) => typeof v === 'string' && v.startsWith('./deploy/temporal/config:'));
    if (!mountsConfig) problems.push('service "temporal" must mount ./deploy/temporal/config (the same files L2C_TEMPORAL=server uses)');
  }
  return problems;
}

/** The image must build the console, or the API serves "console not built". */
export function dockerfileProblems(dockerfile: string): string[] {
  const problems: string[] = [];
  if (!/npm ci\b/.test(dockerfile)) problems.push('Dockerfile must install with npm ci (the lock file, exactly)');
  if (!/npm run build:web\b/.test(dockerfile)) problems.push('Dockerfile must build the console (npm run build:web)');
  return problems;
}
