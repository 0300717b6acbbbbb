// The names of the catalogue's activities, in process order, and the undo of those that change
// orders, stock, purchase orders or invoices. The catalogue (schema/activityCatalogue.ts) gives
// each its input and result schemas and must name exactly these.
export const activityNames = [
  'captureLead',
  'enrichProfile',
  'assignLead',
  'sendAutoResponse',
  'sendNurtureEmail',
  'scoreLead',
  'createFollowUpTask',
  'priceQuote',
  'sendQuote',
  'createOrder',
  'checkCredit',
  'recommendAccessories',
  'addOrderLines',
  'releaseCreditHold',
  'reserveStock',
  'raisePurchaseOrder',
  'notifyShipment',
  'issueInvoice',
  'sendInvoice',
  'applyPayment',
  'recordCredit',
  'sendDunningNotice',
  'reconcile',
  'cancelOrder',
  'releaseReservation',
  'closePurchaseOrders',
  'writeOffInvoice',
] as const;
export type ActivityName = (typeof activityNames)[number];

/** An activity that changes stock, orders or invoices names the activity that undoes it. */
export interface Undo {
  activity: ActivityName;
  changes: 'orders' | 'stock' | 'purchase orders' | 'invoices';
}

// Undos: what an abandoned journey runs to put back what these activities changed. Each leaves
// alone what has moved on (a shipped order, consumed stock, a paid invoice).
const undos: Partial<Record<ActivityName, Undo>> = {
  createOrder: { activity: 'cancelOrder', changes: 'orders' },
  reserveStock: { activity: 'releaseReservation', changes: 'stock' },
  raisePurchaseOrder: { activity: 'closePurchaseOrders', changes: 'purchase orders' },
  issueInvoice: { activity: 'writeOffInvoice', changes: 'invoices' },
};

export function undoOf(activity: ActivityName): Undo | null {
  return undos[activity] ?? null;
}

export function isActivityName(name: string): name is ActivityName {
  return (activityNames as readonly string[]).includes(name);
}
