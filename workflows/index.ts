// Every workflow the worker registers.
export { journeyWorkflow } from './journey';
export { migrationWorkflow } from './migration';
