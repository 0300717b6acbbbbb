// The names people read for stages and events, from the current version of every process key: the
// console shows them wherever a stage or an event appears. Every signed-in role reads them.
import { z } from 'zod';
import { defaultProcess } from '../../machines/index';
import { labelsOf, type ProcessLabels } from '../../machines/labels';
import { currentVersions, definitionOf } from '../definitions';
import type { ApiDeps } from '../deps';
import { errors, type App } from '../schemas';

const labelsSchema = z.strictObject({
  stages: z.record(z.string(), z.string()).describe('stage key → label'),
  events: z.record(z.string(), z.string()).describe('event type → label'),
});

/** Labels of every key's current version; where two keys name the same stage, the default key's label wins. */
async function currentLabels(deps: ApiDeps): Promise<ProcessLabels> {
  const versions = [...(await currentVersions(deps.db))].sort(([a], [b]) =>
    a === defaultProcess.key ? 1 : b === defaultProcess.key ? -1 : a.localeCompare(b),
  );
  const merged: ProcessLabels = { stages: {}, events: {} };
  for (const [key, version] of versions) {
    const def = await definitionOf(deps.db, key, version);
    if (!def) continue;
    const labels = labelsOf(def);
    Object.assign(merged.stages, labels.stages);
    Object.assign(merged.events, labels.events);
  }
  return merged;
}

export function processLabelRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/v1/process-labels',
    {
      schema: {
        tags: ['process definitions'],
        summary: 'The labels of stages and events, from the current version of every process key',
        description:
          'Stages and events without a label are absent: show their key in words. Where two keys label the same stage or event, the label of `lead-to-cash` wins.',
        response: { 200: labelsSchema, ...errors() },
      },
    },
    async () => currentLabels(deps),
  );
}
