// Ids are chosen by the application (prefix + uuid), so logs and URLs say what a row is.
import { randomUUID } from 'node:crypto';

export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}
