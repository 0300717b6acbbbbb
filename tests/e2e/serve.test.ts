// web/serve.ts inside the API's own plumbing (auth hook, error handler, OpenAPI): the console's
// pages and assets are public, hidden from the OpenAPI document, cached right; without a build,
// the pages say how to make one.
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuth } from '../../api/auth';
import { installErrorHandler } from '../../api/errors';
import { installOpenApi } from '../../api/openapi';
import { installRateLimit } from '../../api/rateLimit';
import { UserCache } from '../../api/userCache';
import type { Db } from '../../db/connection';
import { buildConsole } from '../../web/build';
import { registerConsole } from '../../web/serve';

async function appWithConsole(distDir?: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandler(app);
  await installOpenApi(app);
  // Public routes never reach the database; anything else is refused before it would. Public
  // routes spend their address's budget, kept here in memory.
  await installRateLimit(app, {} as Db, { max: 10_000, windowMs: 60_000 });
  // A cache that never listens keeps nothing: every request would read the database.
  installAuth(app, {} as Db, new UserCache({}));
  await registerConsole(app, distDir);
  await app.ready();
  return app;
}

describe('the console served by the API', () => {
  let app: FastifyInstance;
  let dist: string;
  beforeAll(async () => {
    dist = await buildConsole();
    app = await appWithConsole(dist);
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers every client route with index.html, without a token', async () => {
    for (const url of ['/', '/signin', '/pipeline', '/journeys/jrn_123', '/stuck', '/definitions', '/reports']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<div id="root"></div>');
    }
  });

  it('serves hashed assets for a year and nothing from elsewhere', async () => {
    const index = (await app.inject({ method: 'GET', url: '/' })).body;
    const assets = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    expect(index).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    for (const url of assets) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control']).toContain('immutable');
    }
    expect(readdirSync(join(dist, 'assets')).length).toBe(assets.length);
    expect((await app.inject({ method: 'GET', url: '/assets/../index.html' })).statusCode).not.toBe(500);
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('leaves the API alone: unknown paths are JSON 404s, /v1 still needs a token, no console route in OpenAPI', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const document = (await app.inject({ method: 'GET', url: '/v1/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(document.paths).filter((p) => !p.startsWith('/v1/'))).toEqual([]);
  });

  it('says how to build the console when there is no build', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'l2c-no-console-'));
    const bare = await appWithConsole(empty);
    try {
      const response = await bare.inject({ method: 'GET', url: '/pipeline' });
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('npm run build:web');
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
