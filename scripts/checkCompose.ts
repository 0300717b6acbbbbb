// Checks that docker-compose.yml parses (with `docker-compose config -q` where that tool is
// installed) and wires what a deployment needs (scripts/composeWiring.ts), and that the
// Dockerfile builds the console. Run by `npm test`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { composeProblems, dockerfileProblems, type ComposeFile } from './composeWiring';

const env = { ...process.env, SMTP_URL: process.env.SMTP_URL ?? 'smtp://relay:25' };

const tool = spawnSync('docker-compose', ['config', '-q'], { env, encoding: 'utf8' });
if (tool.error === undefined && tool.status !== null && tool.status !== 0) {
  process.stderr.write(`docker-compose config failed:\n${tool.stderr}`);
  process.exit(1);
}

const doc = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as ComposeFile;
const problems = [...composeProblems(doc), ...dockerfileProblems(readFileSync('Dockerfile', 'utf8'))];
if (problems.length > 0) {
  process.stderr.write(`docker-compose.yml / Dockerfile:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
process.stdout.write(`docker-compose.yml: ${Object.keys(doc.services ?? {}).length} services, all wired\n`);
