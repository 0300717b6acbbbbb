// The compose check against the repository's own files, and against copies with one piece of
// wiring taken away: each must be named.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeProblems, dockerfileProblems, type ComposeFile } from '../../../scripts/composeWiring';

type Doc = ComposeFile & { services: Record<string, Record<string, unknown>> };
const load = (): Doc => parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as never;

function service(doc: Doc, name: string): Record<string, unknown> {
  const found = doc.services[name];
  if (!found) throw new Error(`docker-compose.yml has no ${name}`);
  return found;
}

describe('docker-compose.yml wiring', () => {
  it('the repository compose file and Dockerfile pass', () => {
    expect(composeProblems(load())).toEqual([]);
    expect(dockerfileProblems(readFileSync('Dockerfile', 'utf8'))).toEqual([]);
  });

  it('refuses an api and a worker that do not wait for migrate', () => {
    const doc = load();
    delete (service(doc, 'api').depends_on as Record<string, unknown>).migrate;
    service(doc, 'worker').depends_on = ['migrate'];
    const problems = composeProblems(doc);
    expect(problems).toContainEqual(expect.stringContaining('"api" must wait for migrate'));
    expect(problems).toContainEqual(expect.stringContaining('"worker" must wait for migrate'));
  });

  it('refuses a file without the migrate service', () => {
    const doc = load();
    delete doc.services.migrate;
    expect(composeProblems(doc)).toContain('service "migrate" is missing');
  });

  it('refuses a long-running service without a health check, and a published Temporal frontend', () => {
    const doc = load();
    delete service(doc, 'api').healthcheck;
    service(doc, 'temporal').ports = ['7233:7233'];
    const problems = composeProblems(doc);
    expect(problems).toContain('service "api" has no health check');
    expect(problems).toContainEqual(expect.stringContaining('"temporal" publishes ports'));
  });

  it('refuses a worker that cannot scale, and a Temporal server without the deploy configuration', () => {
    const doc = load();
    service(doc, 'worker').container_name = 'worker';
    service(doc, 'temporal').volumes = [];
    const problems = composeProblems(doc);
    expect(problems).toContainEqual(expect.stringContaining('"worker" must not set container_name'));
    expect(problems).toContainEqual(expect.stringContaining('must mount ./deploy/temporal/config'));
  });

  it('refuses an image that does not build the console', () => {
    expect(dockerfileProblems('FROM node:20\nRUN npm ci\n')).toEqual(['Dockerfile must build the console (npm run build:web)']);
  });
});
