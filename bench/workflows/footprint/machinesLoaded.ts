// Footprint variant: the waiting workflow with all of machines/ loaded through its barrel, schema
// layer included (its zod schemas are built when the module is evaluated), nothing compiled. What
// a journey cost before the workflow loaded the core alone.
import { condition, setHandler } from '@temporalio/workflow';
import { defaultProcess } from '../../../machines/index';
import { footprintReady } from './ready';

export async function footprintWorkflow(): Promise<void> {
  if (defaultProcess.stages.lead === undefined) throw new Error('the default process has no lead stage');
  setHandler(footprintReady, () => true);
  await condition(() => false);
}
