// Footprint variant: the waiting workflow with xstate loaded and a one-state machine started with
// its pure functions: what the statechart library itself costs per cached workflow.
import { condition, setHandler } from '@temporalio/workflow';
import { initialTransition, setup } from 'xstate';
import { footprintReady } from './ready';

export async function footprintWorkflow(): Promise<void> {
  const machine = setup({}).createMachine({ id: 'footprint', initial: 'waiting', states: { waiting: {} } });
  const [snapshot] = initialTransition(machine);
  setHandler(footprintReady, () => snapshot.value === 'waiting');
  await condition(() => false);
}
