// Footprint variant: the waiting workflow plus zod, loaded and used once.
import { condition, setHandler } from '@temporalio/workflow';
import { z } from 'zod';
import { footprintReady } from './ready';

export async function footprintWorkflow(): Promise<void> {
  z.object({ name: z.string() }).parse({ name: 'x' });
  setHandler(footprintReady, () => true);
  await condition(() => false);
}
