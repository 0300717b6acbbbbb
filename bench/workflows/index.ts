// The benchmark worker registers the journey workflow and its hand-written baseline side by side.
export { journeyWorkflow } from '../../workflows/journey';
export { baselineJourneyWorkflow } from './baseline';
