// The query every footprint variant answers once its first task ran (so it sits in the cache).
import { defineQuery } from '@temporalio/workflow';

export const footprintReady = defineQuery<boolean>('footprintReady');
