// Process definitions as the API keeps them: drafts and published versions in `process_definitions`.
// New journeys start on the most recently published version; with nothing published, on the
// built-in default. A running journey carries its definition in its workflow input, so publishing
// never changes it. Published versions never change, so they are cached by key and version.
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

/** The definition new journeys start on. */
export async function activeDefinition(db: Db): Promise<ProcessDefinition> {
  const row = (await db('process_definitions').where({ status: 'published' }).orderBy('published_at', 'desc').first()) as DefinitionRow | undefined;
  if (!row) return defaultProcess;
  return row.definition;
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
