// Process definitions as the API keeps them: drafts and published versions in `process_definitions`.
// Each key has one current version, the last one published for it (the built-in default's key keeps
// the built-in until one is); routing (api/processRouting.ts) picks the key a new lead starts on. A
// running journey carries its definition in its workflow input, so publishing never changes it.
// Published versions never change, so they are cached by key and version.
import { defaultProcess, type ProcessDefinition } from '../machines/index';
import type { Db } from '../db/connection';

export interface DefinitionRow {
  key: string;
  version: number;
  status: 'draft' | 'published';
  definition: ProcessDefinition;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  published_by: string | null;
  published_at: Date | null;
}

const publishedByDb = new WeakMap<Db, Map<string, ProcessDefinition>>();
const cacheKey = (key: string, version: number) => `${key}@${version}`;

/** The current version of every key that has one. */
export async function currentVersions(db: Db): Promise<Map<string, number>> {
  const rows = (await db('process_definitions')
    .distinctOn('key')
    .where({ status: 'published' })
    .orderBy([{ column: 'key' }, { column: 'published_at', order: 'desc' }, { column: 'version', order: 'desc' }])
    .select('key', 'version')) as { key: string; version: number }[];
  const current = new Map<string, number>([[defaultProcess.key, defaultProcess.version]]);
  for (const row of rows) current.set(row.key, row.version);
  return current;
}

/** The current definition of a key, or undefined when nothing of it is published. */
export async function currentDefinition(db: Db, key: string): Promise<ProcessDefinition | undefined> {
  const version = (await currentVersions(db)).get(key);
  return version === undefined ? undefined : definitionOf(db, key, version);
}

/** A published (or the built-in) definition by key and version, as journeys run it. */
export async function definitionOf(db: Db, key: string, version: number): Promise<ProcessDefinition | undefined> {
  if (key === defaultProcess.key && version === defaultProcess.version) return defaultProcess;
  let published = publishedByDb.get(db);
  if (!published) publishedByDb.set(db, (published = new Map()));
  const cached = published.get(cacheKey(key, version));
  if (cached) return cached;
  const row = (await db('process_definitions').where({ key, version, status: 'published' }).first()) as DefinitionRow | undefined;
  if (!row) return undefined;
  published.set(cacheKey(key, version), row.definition);
  return row.definition;
}

/** The next free version of a key (the built-in default holds its own version). */
export async function nextVersion(db: Db, key: string): Promise<number> {
  const row = (await db('process_definitions').where({ key }).max('version as max').first()) as { max: number | null } | undefined;
  const builtIn = key === defaultProcess.key ? defaultProcess.version : 0;
  return Math.max(row?.max ?? 0, builtIn) + 1;
}
