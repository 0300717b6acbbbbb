// Checks that docker-compose.yml parses and wires every service the product needs: with
// `docker-compose config -q` where that tool is installed, else by reading the YAML ourselves.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const required = ['postgres', 'temporal', 'temporal-ui', 'worker', 'api'];
const env = { ...process.env, SMTP_URL: process.env.SMTP_URL ?? 'smtp://relay:25' };

const tool = spawnSync('docker-compose', ['config', '-q'], { env, encoding: 'utf8' });
if (tool.error === undefined && tool.status !== null) {
  if (tool.status !== 0) {
    process.stderr.write(`docker-compose config failed:\n${tool.stderr}`);
    process.exit(1);
  }
}

const doc = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services?: Record<string, { image?: string; build?: unknown; environment?: Record<string, string> }> };
const services = doc.services ?? {};
const problems: string[] = [];
for (const name of required) {
  const service = services[name];
  if (!service) problems.push(`service "${name}" is missing`);
  else if (!service.image && !service.build) problems.push(`service "${name}" has neither image nor build`);
}
for (const name of ['worker', 'api']) {
  const envVars = services[name]?.environment ?? {};
  for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL']) if (!(key in envVars)) problems.push(`service "${name}" lacks ${key}`);
}
if (problems.length > 0) {
  process.stderr.write(`docker-compose.yml: ${problems.join('; ')}\n`);
  process.exit(1);
}
process.stdout.write(`docker-compose.yml: ${Object.keys(services).length} services, all wired\n`);
