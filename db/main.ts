// The one-shot migrate process of a deployment (compose's `migrate` service): applies the
// migrations, then the demo data when L2C_SEED_DEMO=1, and exits. The worker and the API start
// only after it has succeeded, so they never meet an empty database.
import { readSettings } from '../config/settings';
import { createDb } from './connection';
import { migrateLatest } from './migrate';
import { seedDemo } from './seed/demo';

const settings = readSettings();
if (!settings.DATABASE_URL) {
  process.stderr.write('migrate needs DATABASE_URL.\n');
  process.exit(1);
}
const db = createDb(settings.DATABASE_URL);
try {
  const applied = await migrateLatest(db);
  process.stdout.write(applied.length > 0 ? `applied migrations: ${applied.join(', ')}\n` : 'migrations: up to date\n');
  if (settings.L2C_SEED_DEMO === '1') {
    await seedDemo(db);
    process.stdout.write('demo data: in place\n');
  }
} finally {
  await db.destroy();
}
