// fast-check arbitraries from the JSON Schemas of the OpenAPI document (which the route's zod
// schemas generate): mostly well-formed values, strings often at their longest, with a share of
// mutations (missing fields, unknown fields, wrong types, junk) so both the valid and the refusing
// paths are exercised; and `conforms`, which says what the document calls valid.
import fc from 'fast-check';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  not?: JsonSchema;
  propertyNames?: JsonSchema;
  multipleOf?: number;
  uniqueItems?: boolean;
};

const codePoints = (s: string): number => [...s].length;

/** A pattern as JSON Schema reads it (Unicode), or as plain ECMAScript where that does not compile. */
function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern);
  }
}

/** Every pattern a string schema carries (its own and those under allOf). */
function patternsOf(schema: JsonSchema): string[] {
  return [schema.pattern, ...(schema.allOf ?? []).map((s) => s.pattern)].filter((p): p is string => typeof p === 'string');
}

/** Strings matching every pattern, within the length bounds (code points), often at the longest. */
function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const maxLength = schema.maxLength ?? 40;
  const minLength = schema.minLength ?? 0;
  const patterns = patternsOf(schema).map(regex);
  const fits = (s: string) => codePoints(s) >= minLength && codePoints(s) <= maxLength && patterns.every((p) => p.test(s));
  // The most telling pattern drives generation; lookarounds (which fast-check cannot generate) are
  // dropped there and enforced by the filter; a pattern that is only a lookaround drives nothing
  // (filtering any string for the rest would never end).
  const driver = patternsOf(schema)
    .filter((p) => !p.startsWith('^[^\\u0000') && p !== '\\S' && !/^\^?(\(\?[=!][^()]*\))+\$?$/.test(p))
    .at(-1);
  let base: fc.Arbitrary<string>;
  if (driver) {
    try {
      base = fc.stringMatching(new RegExp(driver.replace(/\(\?[=!][^()]*\)/g, '')));
    } catch {
      base = fc.string({ maxLength: Math.min(maxLength, 60) });
    }
  } else {
    // Digits (phone numbers normalise to more of them), wide and expanding characters, anything.
    const unit = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('7', '0', '1') },
      { weight: 3, arbitrary: fc.constantFrom('a', 'Z', ' ', '-', 'ñ', 'ﬃ', '😀') },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) },
    );
    base = fc.oneof(
      { weight: 3, arbitrary: fc.string({ minLength: Math.min(minLength, 60), maxLength: Math.min(maxLength, 60) }) },
      // At the longest: a character repeated, the wide and the expanding ones included.
      {
        weight: 1,
        arbitrary: fc
          .tuple(unit, fc.constantFrom(maxLength, Math.max(minLength, maxLength - 1)))
          .map(([u, n]) => (u === ' ' ? `x${u.repeat(Math.max(0, n - 1))}` : [...u][0]!.repeat(n))),
      },
    );
  }
  return base.filter(fits);
}

const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', '\u0000', '💥', '-1', '1e309', 'null', '<script>', "' or 1=1 --", '../../etc/passwd'),
);

export function arbitraryFor(schema: JsonSchema, resolve: (ref: string) => JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 5) return fc.constant(null);
  const next = (s: JsonSchema) => arbitraryFor(s, resolve, depth + 1);
  if (schema.$ref) return arbitraryFor(resolve(schema.$ref), resolve, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union && union.length > 0) return fc.oneof(...union.map(next));
  // allOf only ever adds patterns to a string here; stringFor reads them from the schema itself.
  if (schema.allOf?.[0] && schema.type === undefined) return next(schema.allOf[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return stringFor(schema);
    }
    case 'integer': {
      const min = Math.max(schema.minimum ?? -1_000, -1_000_000_000);
      const max = Math.min(schema.maximum ?? 100_000, 1_000_000_000);
      return fc.oneof({ weight: 3, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
    }
    case 'number': {
      const min = schema.minimum ?? -1e6;
      const max = schema.maximum ?? 1e6;
      return fc.oneof(
        { weight: 3, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }) },
        { weight: 1, arbitrary: fc.constantFrom(min, max) },
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = schema.minItems ?? 0;
      if (schema.uniqueItems)
        return fc.uniqueArray(schema.items ? next(schema.items) : fc.jsonValue({ maxDepth: 1 }), {
          minLength: min,
          maxLength: Math.max(min, Math.min(schema.maxItems ?? 3, 3)),
          selector: (v) => JSON.stringify(v),
        });
      return fc.array(schema.items ? next(schema.items) : fc.jsonValue({ maxDepth: 1 }), {
        minLength: min,
        maxLength: Math.max(min, Math.min(schema.maxItems ?? 3, 3)),
      });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const keys = Object.keys(properties);
      if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      const record = Object.fromEntries(keys.map((k) => [k, next(properties[k] as JsonSchema)]));
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => keys.includes(k)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Well-formed values most of the time; otherwise one of the ways clients get it wrong. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: valid },
    { weight: 1, arbitrary: junk },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.string({ minLength: 1, maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }))
        .map(([v, key, value]) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...v, [key]: value } : v)),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.nat(), junk).map(([v, index, value]) => {
        if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
        const keys = Object.keys(v);
        if (keys.length === 0) return v;
        const key = keys[index % keys.length] as string;
        const copy: Record<string, unknown> = { ...v };
        if (index % 2 === 0) delete copy[key];
        else copy[key] = value;
        return copy;
      }),
    },
  );
}

/**
 * Whether `value` is valid by the JSON Schema (2020-12, the keywords the document uses), as an
 * OpenAPI tool would judge it: lengths in code points, patterns as Unicode regular expressions.
 */
export function conforms(schema: JsonSchema, value: unknown, resolve: (ref: string) => JsonSchema): boolean {
  const ok = (s: JsonSchema, v: unknown): boolean => conforms(s, v, resolve);
  if (schema.$ref && !ok(resolve(schema.$ref), value)) return false;
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value)) return false;
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return false;
  if (schema.anyOf && !schema.anyOf.some((s) => ok(s, value))) return false;
  if (schema.oneOf && schema.oneOf.filter((s) => ok(s, value)).length !== 1) return false;
  if (schema.allOf && !schema.allOf.every((s) => ok(s, value))) return false;
  if (schema.not && ok(schema.not, value)) return false;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const typeOf = (v: unknown): string[] =>
      v === null ? ['null'] : Array.isArray(v) ? ['array'] : typeof v === 'number' ? (Number.isInteger(v) ? ['integer', 'number'] : ['number']) : [typeof v];
    if (!typeOf(value).some((t) => types.includes(t))) return false;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && codePoints(value) < schema.minLength) return false;
    if (schema.maxLength !== undefined && codePoints(value) > schema.maxLength) return false;
    if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) return false;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false;
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return false;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return false;
    if (schema.items && !value.every((item) => ok(schema.items as JsonSchema, item))) return false;
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) return false;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const properties = schema.properties ?? {};
    if ((schema.required ?? []).some((k) => !Object.hasOwn(record, k))) return false;
    for (const [key, item] of Object.entries(record)) {
      if (schema.propertyNames && !ok(schema.propertyNames, key)) return false;
      const declared = Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (declared) {
        if (!ok(declared, item)) return false;
      } else if (schema.additionalProperties === false) return false;
      else if (typeof schema.additionalProperties === 'object' && !ok(schema.additionalProperties, item)) return false;
    }
  }
  return true;
}
