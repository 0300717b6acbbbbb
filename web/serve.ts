// Serves the built console (web/dist) from the API: hashed assets with long caching, and
// index.html for every client route (web/src/routes.ts). Public routes, hidden from the OpenAPI
// document. Without a build, the pages say how to make one instead of failing.
import fastifyStatic from '@fastify/static';
// For `schema.hide` (keeps these routes out of the OpenAPI document).
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { consoleDist } from './build';
import { PAGE_PATHS } from './src/routes';

const open = { config: { public: true }, schema: { hide: true } } as const;

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Console not built</title>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto"><h1>The console is not built</h1>
<p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it), then reload. The API is at <a href="/docs">/docs</a>.</p></body></html>`;

export async function registerConsole(app: FastifyInstance, distDir: string = consoleDist): Promise<void> {
  await app.register(async (scope) => {
    if (!existsSync(join(distDir, 'index.html'))) {
      for (const path of PAGE_PATHS) scope.get(path, open, async (_request, reply) => reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT));
      return;
    }
    // Only reply.sendFile, in this scope: the routes below decide what is served.
    await scope.register(fastifyStatic, { root: distDir, serve: false });
    scope.get('/assets/*', open, async (request, reply) => {
      const file = (request.params as { '*': string })['*'];
      return reply.sendFile(file, join(distDir, 'assets'), { immutable: true, maxAge: '365d' });
    });
    // Top-level files other than the page itself (icons, robots.txt).
    for (const entry of readdirSync(distDir)) {
      if (entry === 'index.html' || entry.startsWith('.') || !statSync(join(distDir, entry)).isFile()) continue;
      scope.get(`/${entry}`, open, async (_request, reply) => reply.sendFile(entry, { maxAge: '1h' }));
    }
    for (const path of PAGE_PATHS) {
      scope.get(path, open, async (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false }));
    }
  });
}
