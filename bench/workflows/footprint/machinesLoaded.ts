// Footprint variant: the waiting workflow with machines/ loaded (its zod schemas are built when
// the module is evaluated), nothing compiled.
import { condition, setHandler } from '@temporalio/workflow';
import { defaultProcess } from '../../../machines/index';
import { footprintReady } from './ready';

export async function footprintWorkflow(): Promise<void> {
  if (defaultProcess.stages.lead === undefined) throw new Error('the default process has no lead stage');
  setHandler(footprintReady, () => true);
  await condition(() => false);
}
