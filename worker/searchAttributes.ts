// Registers the journey search attributes on a server that lacks them (e.g. a fresh production
// namespace); the dev server gets them at start.
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { journeySearchAttributeKeys } from '../workflows/searchAttributes';

// The proto package is CommonJS: take the namespace from its default export.
const { temporal } = proto;

const types = Object.fromEntries(
  journeySearchAttributeKeys.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}` as const]]),
);

export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.fromEntries(Object.entries(types).filter(([name]) => !(name in (existing.customAttributes ?? {}))));
  if (Object.keys(missing).length > 0) await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
}
