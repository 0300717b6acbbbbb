// Schemas shared by several routes, and the app type with the zod type provider. Route schemas are
// the one source for validation, types and the OpenAPI document.
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { moneySchema } from '../machines/schema/activityCatalogue';
import { durationPattern, STORABLE_TEXT } from '../machines/schema/bounds';
import { ROLES } from '../db/queries/users';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export { moneySchema };

export const roleSchema = z.enum(ROLES);

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('stable machine-readable code, e.g. transition_not_allowed'),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .describe('Every refusal');

/** The error responses a route may give, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, typeof errorSchema> {
  return Object.fromEntries([401, 429, ...statuses].map((s) => [s, errorSchema]));
}

/** A list whose items must not repeat; the document says so with uniqueItems. */
export function distinct<T extends z.ZodType<string>>(items: z.ZodArray<T>, what: string) {
  return items.refine((list) => new Set(list).size === list.length, `${what} must not repeat`).meta({ uniqueItems: true });
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const storableString = z.string().regex(STORABLE_TEXT, 'must be Unicode text without the NUL character \\u0000');

/** Any JSON whose text (keys included) can be stored: what a body field takes before a route checks it further. */
export const jsonValue: z.ZodType<Json> = z
  .lazy(() => z.union([storableString, z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(storableString, jsonValue)]))
  .meta({ id: 'JsonValue' });

export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

export const journeyParams = z.strictObject({ id: idSchema });

export const timestamp = z.string().describe('ISO-8601 date-time');

/** ISO-8601 duration (PnYnMnWnDTnHnMnS), with the digits per part bounded as in process definitions. */
export const isoDuration = z
  .string()
  .regex(durationPattern, 'an ISO-8601 duration such as P7D or PT30M (at most 2 digits of years, 3 of months, 4 of weeks, 5 of days)');

export const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : new Date(d).toISOString());
