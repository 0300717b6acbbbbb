/** The task queue every journey runs on; shared by the worker and the API. */
export const TASK_QUEUE = 'journeys';
