// Journey histories kept as replay fixtures. Set L2C_RECORD_HISTORIES=1 to (re)write them from a
// test run; every run replays them (tests/workflow/replay.test.ts). Stored as the proto message's
// own JSON form (longs and enums as strings, bytes in base64) and read back with fromObject.
import proto from '@temporalio/proto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JourneyHandle } from './journeys';

const { History } = proto.temporal.api.history.v1;
export const historiesDir = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));

export async function keepHistory(handle: JourneyHandle, name: string): Promise<void> {
  if (process.env.L2C_RECORD_HISTORIES !== '1') return;
  const history = History.fromObject(await handle.fetchHistory());
  writeFileSync(`${historiesDir}${name}.json`, `${JSON.stringify(history.toJSON())}\n`);
}

export function storedHistories(): { workflowId: string; history: ReturnType<typeof History.fromObject> }[] {
  return readdirSync(historiesDir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ workflowId: file.replace(/\.json$/, ''), history: History.fromObject(JSON.parse(readFileSync(`${historiesDir}${file}`, 'utf8'))) }));
}
