// Stage, event and role names in business words. Stages and events are named by the labels of the
// current definitions (GET /v1/process-labels, loaded at sign-in), else by their key in words;
// activities, roles and what a checkpoint decides on come from the default process's vocabulary.
import { api } from './api';
import { humanize } from './format';

interface ProcessLabels {
  stages: Record<string, string>;
  events: Record<string, string>;
}

let labels: ProcessLabels = { stages: {}, events: {} };

/** Loads the definitions' labels (again after a publish); without them names are keys in words. */
export async function loadLabels(): Promise<void> {
  labels = await api.get<ProcessLabels>('/v1/process-labels');
}

/** What a stage's checkpoint decides on, for sentences such as "… to confirm or reject the quote". */
const STAGE_SUBJECTS: Record<string, string> = {
  lead: "the lead's details",
  qualification: 'the lead',
  nurture: 'the lead',
  opportunity: 'the opportunity',
  quoting: 'the quote',
  quote_sent: 'the quote',
  ordering: 'the order',
  fulfilment: 'the shipment',
  invoicing: 'the invoice',
  awaiting_payment: 'the payment',
  collections: 'the unpaid invoice',
  overpayment_review: 'the over-payment',
  paid: 'the payment',
};

/** The activities of the default process (machines/activityCatalogue.ts) as the work they do. */
const ACTIVITY_LABELS: Record<string, string> = {
  captureLead: 'Capturing the lead',
  enrichProfile: "Enriching the company's profile",
  assignLead: 'Assigning the lead',
  sendAutoResponse: 'Sending the auto-response',
  sendNurtureEmail: 'Sending the nurture email',
  scoreLead: 'Scoring the lead',
  createFollowUpTask: 'Creating the follow-up task',
  priceQuote: 'Pricing the quote',
  sendQuote: 'Sending the quote',
  createOrder: 'Creating the order',
  checkCredit: 'Checking credit',
  recommendAccessories: 'Recommending accessories',
  addOrderLines: 'Adding order lines',
  releaseCreditHold: 'Releasing the credit hold',
  reserveStock: 'Reserving stock',
  raisePurchaseOrder: 'Raising a purchase order',
  notifyShipment: 'Sending the shipment email',
  issueInvoice: 'Issuing the invoice',
  sendInvoice: 'Sending the invoice',
  applyPayment: 'Applying the payment',
  recordCredit: 'Recording customer credit',
  sendDunningNotice: 'Sending a payment reminder',
  reconcile: 'Reconciling the payments',
  cancelOrder: 'Cancelling the order',
  releaseReservation: 'Releasing the reservation',
  closePurchaseOrders: 'Closing purchase orders',
  writeOffInvoice: 'Writing off the invoice',
};

/** A role as the object of a sentence: "waits for a sales manager". */
const ROLE_NOUNS: Record<string, string> = {
  admin: 'an admin',
  ops: 'ops',
  sales_rep: 'a sales rep',
  sales_manager: 'a sales manager',
  warehouse: 'the warehouse',
  finance: 'finance',
  viewer: 'a viewer',
  system: 'the system',
};

export const stageLabel = (stage: string): string => labels.stages[stage] ?? humanize(stage);
export const stageSubject = (stage: string): string => STAGE_SUBJECTS[stage] ?? `the ${humanize(stage).toLowerCase()} stage`;
export const eventLabel = (event: string): string => labels.events[event] ?? humanize(event);
/** `priceQuote` → "Pricing the quote"; an unknown activity by its name in words. */
export const activityLabel = (activity: string): string => ACTIVITY_LABELS[activity] ?? humanize(activity.replace(/([a-z])([A-Z])/g, '$1_$2'));
export const roleNoun = (role: string | null): string => (role ? (ROLE_NOUNS[role] ?? humanize(role).toLowerCase()) : 'anyone');

/** "Propose or lose": the checkpoint's choices as verbs in a sentence. */
export function choices(approve: string, reject: string | null): string {
  const verb = (event: string) => eventLabel(event).toLowerCase();
  return reject ? `${verb(approve)} or ${verb(reject)}` : verb(approve);
}
