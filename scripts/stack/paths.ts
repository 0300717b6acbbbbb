// Where the stack keeps things outside the data dir: the per-user cache for built tools.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lead-to-cash');
}
