// Every workflow the worker registers.
export { journeyWorkflow } from './journey';
