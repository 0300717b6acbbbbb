// Footprint variant: the waiting workflow with the runtime core of machines/ loaded (as the journey
// workflow loads it), nothing compiled.
import { condition, setHandler } from '@temporalio/workflow';
import { compileProcess } from '../../../machines/compileProcess';
import { footprintReady } from './ready';

export async function footprintWorkflow(): Promise<void> {
  setHandler(footprintReady, () => typeof compileProcess === 'function');
  await condition(() => false);
}
