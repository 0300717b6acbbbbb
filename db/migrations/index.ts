// Every migration, in the order it runs. Add new ones at the end; never rename an applied one.
import type { Knex } from 'knex';
import * as journeys from './0001_journeys';

export const migrations: Record<string, Knex.Migration> = {
  '0001_journeys': journeys,
};
