// Where a captured lead went: the owner and team the response rules gave it, and by which rule, so
// a rep who captured a lead routed to someone else learns where it is instead of a journey they
// may not open.
import { z } from 'zod';
import type { Db } from '../db/connection';
import type { AuthUser } from './auth';
import { scopeOf } from './scoping';

export const assignmentSchema = z
  .strictObject({
    owner: z.strictObject({ id: z.string(), name: z.string().nullable() }).nullable(),
    team: z.string().nullable(),
    rule: z.string().nullable().describe('the response rule that routed it; null when none matched'),
    visibleToYou: z.boolean().describe('whether the caller may open the journey (a rep sees only their own)'),
  })
  .describe('where the lead went; absent while assignment has not run yet');
export type Assignment = z.infer<typeof assignmentSchema>;

export async function assignmentOf(db: Db, journeyId: string, user: AuthUser): Promise<Assignment | undefined> {
  const lead = (await db('leads as l')
    .leftJoin('users as u', 'u.id', 'l.owner_id')
    .leftJoin('response_rules as r', 'r.id', 'l.rule_id')
    .where('l.journey_id', journeyId)
    .orderBy('l.created_at')
    .first('l.owner_id', 'u.name as owner_name', 'l.team', 'r.name as rule_name', 'l.assigned_at')) as
    { owner_id: string | null; owner_name: string | null; team: string | null; rule_name: string | null; assigned_at: Date | null } | undefined;
  if (!lead?.assigned_at) return undefined;
  // Scoped as the journey will be: by its owner, the lead's (the projection may not have it yet).
  const scope = await scopeOf(db, user);
  return {
    owner: lead.owner_id ? { id: lead.owner_id, name: lead.owner_name } : null,
    team: lead.team,
    rule: lead.rule_name,
    visibleToYou: scope.all || (lead.owner_id !== null && scope.owners.includes(lead.owner_id)),
  };
}
