// Footprint variant: a workflow that only waits. What the SDK itself keeps per cached workflow.
import { condition, setHandler } from '@temporalio/workflow';
import { footprintReady } from './ready';

export async function footprintWorkflow(): Promise<void> {
  setHandler(footprintReady, () => true);
  await condition(() => false);
}
