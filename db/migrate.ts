// Migrations are listed in code (db/migrations/index.ts) rather than discovered on disk, so they
// run the same under tsx, vitest and a bundle.
import type { Knex } from 'knex';
import { migrations } from './migrations/index';

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
  return applied;
}
