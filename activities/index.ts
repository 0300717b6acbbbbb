// Every activity the worker registers: the catalogue (machines/schema/activityCatalogue.ts), each run
// exactly once per (journey, step) by defineActivity, plus the journey projection writer, the SLA
// notice and the outbox sweeper the worker calls periodically.
import type { Db } from '../db/connection';
import type { CatalogueActivities } from '../machines/schema/activityCatalogue';
import { assignLead, sendAutoResponse } from './assignment';
import { cancelOrder, closePurchaseOrders, releaseReservation, writeOffInvoice } from './compensation';
import { sendDunningNotice } from './dunning';
import { notifyShipment, raisePurchaseOrder, reserveStock } from './fulfilment';
import { issueInvoice, sendInvoice } from './invoicing';
import { journeyRecordActivities } from './journeyRecord';
import { captureLead, enrichProfile } from './leads';
import { migrationActivities } from './migrations';
import type { Mailer } from './mail/mailer';
import { deliverOutbox } from './mail/outbox';
import { sendNurtureEmail } from './nurture';
import { createFollowUpTask } from './opportunities';
import { addOrderLines } from './orderLines';
import { checkCredit, createOrder, recommendAccessories, releaseCreditHold } from './orders';
import { applyPayment, reconcile, recordCredit } from './payments';
import { priceQuote, sendQuote } from './quotes';
import { scoreLead } from './scoring';
import { slaActivities } from './slaNotice';
import { defineActivity, type ActivityDeps } from './support/run';

export interface ActivitiesDeps {
  db: Db;
  mailer: Mailer;
  /** The clock for business dates (validity, due dates); tests pin it. */
  now?: () => Date;
  /** Where customers reach the API, for links in emails (unsubscribe). */
  publicUrl?: string;
}

/** Without a public address (tests, benchmarks): the API's default local one. */
const LOCAL_API = 'http://127.0.0.1:3000';

function catalogueActivities(deps: ActivityDeps): CatalogueActivities {
  return {
    captureLead: defineActivity(deps, 'captureLead', captureLead),
    enrichProfile: defineActivity(deps, 'enrichProfile', enrichProfile),
    assignLead: defineActivity(deps, 'assignLead', assignLead),
    sendAutoResponse: defineActivity(deps, 'sendAutoResponse', sendAutoResponse),
    sendNurtureEmail: defineActivity(deps, 'sendNurtureEmail', sendNurtureEmail(deps.publicUrl)),
    scoreLead: defineActivity(deps, 'scoreLead', scoreLead),
    createFollowUpTask: defineActivity(deps, 'createFollowUpTask', createFollowUpTask),
    priceQuote: defineActivity(deps, 'priceQuote', priceQuote),
    sendQuote: defineActivity(deps, 'sendQuote', sendQuote),
    createOrder: defineActivity(deps, 'createOrder', createOrder),
    checkCredit: defineActivity(deps, 'checkCredit', checkCredit),
    recommendAccessories: defineActivity(deps, 'recommendAccessories', recommendAccessories),
    addOrderLines: defineActivity(deps, 'addOrderLines', addOrderLines),
    releaseCreditHold: defineActivity(deps, 'releaseCreditHold', releaseCreditHold),
    reserveStock: defineActivity(deps, 'reserveStock', reserveStock),
    raisePurchaseOrder: defineActivity(deps, 'raisePurchaseOrder', raisePurchaseOrder),
    notifyShipment: defineActivity(deps, 'notifyShipment', notifyShipment),
    issueInvoice: defineActivity(deps, 'issueInvoice', issueInvoice),
    sendInvoice: defineActivity(deps, 'sendInvoice', sendInvoice),
    applyPayment: defineActivity(deps, 'applyPayment', applyPayment),
    recordCredit: defineActivity(deps, 'recordCredit', recordCredit),
    sendDunningNotice: defineActivity(deps, 'sendDunningNotice', sendDunningNotice),
    reconcile: defineActivity(deps, 'reconcile', reconcile),
    cancelOrder: defineActivity(deps, 'cancelOrder', cancelOrder),
    releaseReservation: defineActivity(deps, 'releaseReservation', releaseReservation),
    closePurchaseOrders: defineActivity(deps, 'closePurchaseOrders', closePurchaseOrders),
    writeOffInvoice: defineActivity(deps, 'writeOffInvoice', writeOffInvoice),
  };
}

export function createActivities(deps: ActivitiesDeps) {
  const full: ActivityDeps = { db: deps.db, mailer: deps.mailer, now: deps.now ?? (() => new Date()), publicUrl: deps.publicUrl ?? LOCAL_API };
  return {
    ...catalogueActivities(full),
    ...journeyRecordActivities(deps),
    ...migrationActivities(deps),
    ...slaActivities(full),
    /** Sends emails left unsent by a crash or an SMTP outage; safe to run from several workers at once. */
    deliverOutbox: (options: { limit?: number } = {}) => deliverOutbox(full.db, full.mailer, options),
  };
}
