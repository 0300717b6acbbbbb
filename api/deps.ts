// What the API needs from the outside world; built once in main.ts, replaced in tests.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  temporalUiUrl: string | null;
  mailboxUrl: string | null;
}
