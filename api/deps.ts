// What the API needs from the outside world; built once in main.ts, replaced in tests.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  temporalUiUrl: string | null;
  mailboxUrl: string | null;
  /** When set, an `admin` with this bearer token is upserted at start (L2C_BOOTSTRAP_TOKEN). */
  bootstrapToken?: string | null;
  /** The clock for ages and SLAs; tests pin it. */
  now?: () => Date;
}
