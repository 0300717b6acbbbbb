// An update the server did not take (a run closing in that task, a workflow task failing twice) is
// sent again with the same id; anything else reaches the caller at once.
import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { toApiError } from '../../../api/errors';
import { withUpdateId } from '../../../api/journeyClient';

/** A gRPC error as the client library raises it, wrapped like WorkflowClient does. */
function grpcError(code: number, details: string): ServiceError {
  const cause = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Workflow Update failed', { cause });
}

/** gRPC's FAILED_PRECONDITION. */
const FAILED_PRECONDITION = 9;
const failingTask = () => grpcError(FAILED_PRECONDITION, 'Unable to perform workflow execution update due to Workflow Task in failed state.');

describe('sending an update again', () => {
  it('waits out a failing workflow task and sends the same id again', async () => {
    const ids: string[] = [];
    const result = await withUpdateId('upd-1', async (id) => {
      ids.push(id);
      if (ids.length < 3) throw failingTask();
      return 'applied';
    });
    expect(result).toBe('applied');
    expect(ids).toEqual(['upd-1', 'upd-1', 'upd-1']);
  });

  it('gives up after six tries, with the last error', async () => {
    let tries = 0;
    const error = await withUpdateId(undefined, async () => {
      tries++;
      throw failingTask();
    }).catch((e: unknown) => e);
    expect(tries).toBe(6);
    expect(toApiError(error)).toMatchObject({ status: 503, message: expect.stringContaining('recovering') });
  }, 15_000);

  it('passes any other error on at the first try', async () => {
    let tries = 0;
    const other = grpcError(FAILED_PRECONDITION, 'Workflow is paused');
    await expect(
      withUpdateId(undefined, async () => {
        tries++;
        throw other;
      }),
    ).rejects.toBe(other);
    expect(tries).toBe(1);
  });
});
