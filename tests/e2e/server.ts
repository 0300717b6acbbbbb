// The whole product for the browser: a fresh database with demo data, a journey worker, the API
// on a real port and the built console. Users for each role are created through POST /v1/users.
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { buildApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { newToken } from '../../db/queries/users';
import { seedDemo } from '../../db/seed/demo';
import { buildConsole } from '../../web/build';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { connectClient, installQuietRuntime } from '../helpers/temporal';
import { startTestWorker } from '../helpers/worker';

export type Persona = 'admin' | 'manager' | 'rep' | 'warehouse' | 'finance' | 'ops';

export interface ConsoleStack {
  /** Where the browser goes: the API, which serves the console too. */
  base: string;
  database: TestDatabase;
  tokens: Record<Persona, string>;
  userIds: Record<Persona, string>;
  /** Calls the API as a persona. */
  api<T = Record<string, unknown>>(as: Persona, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

const address = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

export async function startConsoleStack(): Promise<ConsoleStack> {
  installQuietRuntime();
  await buildConsole();
  const database = await createTestDatabase();
  const { db } = database;
  await seedDemo(db);
  const worker = await startTestWorker(db);
  const temporal = await connectClient();
  const adminToken = newToken();
  const deps: ApiDeps = {
    db,
    temporal: temporal.client,
    taskQueue: worker.taskQueue,
    temporalUiUrl: inject('stack').temporalUiUrl ?? null,
    mailboxUrl: inject('stack').mailboxUrl ?? null,
    bootstrapToken: adminToken,
  };
  const app = await buildApp(deps, { rateLimit: { max: 100_000, windowMs: 60_000 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const apiBase = address(app);

  const tokens = { admin: adminToken } as Record<Persona, string>;
  const userIds = { admin: 'usr-admin' } as Record<Persona, string>;
  const api: ConsoleStack['api'] = async (as, method, path, body) => {
    const response = await fetch(`${apiBase}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[as]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as never };
  };

  const tag = Math.random().toString(36).slice(2, 8);
  const create = async (persona: Persona, name: string, roles: string[], extra: Record<string, unknown> = {}) => {
    const created = await api<{ id: string; token: string }>('admin', 'POST', '/v1/users', {
      name,
      email: `${persona}.${tag}@console.example`,
      roles,
      ...extra,
    });
    if (created.status !== 201) throw new Error(`creating ${persona} answered ${created.status}: ${JSON.stringify(created.body)}`);
    tokens[persona] = created.body.token;
    userIds[persona] = created.body.id;
  };
  await create('manager', 'Sam Manager', ['sales_manager']);
  await create('rep', 'Rita Rep', ['sales_rep'], { managerId: userIds.manager, team: 'console' });
  await create('warehouse', 'Walt Warehouse', ['warehouse']);
  await create('finance', 'Fay Finance', ['finance']);
  await create('ops', 'Olga Ops', ['ops']);

  return {
    base: apiBase,
    database,
    tokens,
    userIds,
    api,
    close: async () => {
      await app.close();
      await worker.stop();
      await temporal.close();
      await database.drop();
    },
  };
}
