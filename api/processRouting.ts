// Which process a new lead starts on (DESIGN.md section 7.2): rules on the lead's source, country
// and product interest name a definition key, the first match wins, else the default key; the lead
// starts on that key's current version. Publishing a version of one key therefore never moves the
// leads of another. With no routing saved, every lead starts on the built-in default's key.
import { z } from 'zod';
import type { Db } from '../db/connection';
import { defaultProcess, leadInputSchema, processDefinitionSchema, type LeadInput, type ProcessDefinition } from '../machines/index';
import { currentVersions, definitionOf } from './definitions';
import { ApiError } from './errors';

const keySchema = processDefinitionSchema.shape.key;

export const routingRuleSchema = z.strictObject({
  when: z
    .strictObject({
      source: leadInputSchema.shape.source.optional(),
      country: leadInputSchema.shape.country,
      productInterest: leadInputSchema.shape.productInterest.describe('matched whole, ignoring case'),
    })
    .describe('every condition given must hold; none given matches every lead'),
  key: keySchema,
});

export const processRoutingSchema = z.strictObject({
  default: keySchema.describe('the key of leads no rule matches'),
  rules: z.array(routingRuleSchema).max(100).describe('first match wins'),
});
export type ProcessRouting = z.infer<typeof processRoutingSchema>;

export const builtInRouting: ProcessRouting = { default: defaultProcess.key, rules: [] };

export interface SavedRouting {
  routing: ProcessRouting;
  version: number;
  savedBy: string | null;
  savedAt: Date | null;
}

export async function readRouting(db: Db): Promise<SavedRouting> {
  const row = (await db('process_routing').orderBy('version', 'desc').first()) as
    { version: number; routing: ProcessRouting; saved_by: string; saved_at: Date } | undefined;
  if (!row) return { routing: builtInRouting, version: 0, savedBy: null, savedAt: null };
  return { routing: row.routing, version: row.version, savedBy: row.saved_by, savedAt: row.saved_at };
}

/** Saves a routing whose every key has a current version; 422 naming the first key that has none. */
export async function saveRouting(db: Db, routing: ProcessRouting, userId: string): Promise<SavedRouting> {
  const current = await currentVersions(db);
  const named = [{ path: 'body.default', key: routing.default }, ...routing.rules.map((rule, i) => ({ path: `body.rules.${i}.key`, key: rule.key }))];
  const unknown = named.find((n) => !current.has(n.key));
  if (unknown) {
    throw new ApiError(
      422,
      'unknown_process_key',
      `${unknown.path}: no version of "${unknown.key}" is published; publish one first, or name one of ${[...current.keys()].join(', ')}`,
      {
        field: unknown.path,
        keys: [...current.keys()],
      },
    );
  }
  const [row] = (await db('process_routing')
    .insert({ routing: JSON.stringify(routing), saved_by: userId })
    .returning('*')) as { version: number; saved_by: string; saved_at: Date }[];
  return { routing, version: row!.version, savedBy: row!.saved_by, savedAt: row!.saved_at };
}

const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The key a lead's first matching rule names, else the default. */
export function routeLead(routing: ProcessRouting, lead: Pick<LeadInput, 'source' | 'country' | 'productInterest'>): string {
  const rule = routing.rules.find(
    ({ when }) =>
      (when.source === undefined || when.source === lead.source) &&
      (when.country === undefined || when.country === lead.country) &&
      (when.productInterest === undefined || same(when.productInterest, lead.productInterest)),
  );
  return rule?.key ?? routing.default;
}

type RoutedLead = Pick<LeadInput, 'source' | 'country' | 'productInterest'>;

/**
 * The definitions new leads start on, from the routing and current versions read once (an import
 * routes each of its rows). A key without a current version cannot be saved, but a routing restored
 * from before a key's versions existed might name one: such a lead starts on the default's key
 * rather than not at all.
 */
export async function leadRouter(db: Db): Promise<(lead: RoutedLead) => Promise<ProcessDefinition>> {
  const [{ routing }, current] = await Promise.all([readRouting(db), currentVersions(db)]);
  const fallback = { key: defaultProcess.key, version: current.get(defaultProcess.key) ?? defaultProcess.version };
  return async (lead) => {
    const key = routeLead(routing, lead);
    const version = current.get(key);
    const chosen = version === undefined ? fallback : { key, version };
    return (await definitionOf(db, chosen.key, chosen.version)) ?? defaultProcess;
  };
}

export async function definitionForLead(db: Db, lead: RoutedLead): Promise<ProcessDefinition> {
  return (await leadRouter(db))(lead);
}
