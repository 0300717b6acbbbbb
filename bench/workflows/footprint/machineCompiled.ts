// Footprint variant: what a journey holds before its first activity: the runtime core loaded (as
// workflows/journey.ts loads it, without zod) and the default process compiled and started with
// xstate's pure functions.
import { condition, setHandler } from '@temporalio/workflow';
import { initialTransition } from 'xstate';
import { compileProcess } from '../../../machines/compileProcess';
import { defaultProcess } from '../../../machines/defaultProcess';
import { footprintReady } from './ready';

export async function footprintWorkflow(): Promise<void> {
  const machine = compileProcess(defaultProcess);
  const [snapshot] = initialTransition(machine, {
    journeyId: 'footprint',
    at: '2026-01-01T00:00:00.000Z',
    lead: { source: 'web_form', name: 'F', email: 'f@footprint.example' },
  });
  setHandler(footprintReady, () => snapshot.value !== undefined);
  await condition(() => false);
}
