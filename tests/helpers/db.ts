// A fresh, migrated database per test file, in the run's PostgreSQL cluster, so suites never
// see each other's rows.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = new URL(inject('stack').databaseUrl);
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  const admin = createDb(base.toString(), { max: 1 });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = createDb(url.toString());
  await migrateLatest(db);
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.destroy();
      const again = createDb(base.toString(), { max: 1 });
      await again.raw(`drop database if exists ${name} with (force)`);
      await again.destroy();
    },
  };
}
