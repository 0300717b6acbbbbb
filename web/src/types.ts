// The payloads the console reads, as the API's OpenAPI document (GET /v1/openapi.json) describes
// them; only the fields the console uses.
// The journey's state is the API's own schema (types only: nothing of it reaches the bundle).
import type { Parked, PendingCheckpoint } from '../../machines/schema/journeyState';

export type { JourneyAnswer as JourneyState } from '../../machines/schema/journeyState';
export type { Parked, PendingCheckpoint };

export interface Money {
  amount: string;
  currency: string;
}

export type Role = 'admin' | 'ops' | 'sales_rep' | 'sales_manager' | 'warehouse' | 'finance' | 'viewer';

export interface User {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  managerId: string | null;
  team: string | null;
}

export interface PipelineStage {
  stage: string;
  count: number;
  amounts: Money[];
  /** The total this stage counts in; null for stages that ended without a sale. */
  countsIn: 'openPipeline' | 'won' | null;
}

export interface PipelineTotal {
  count: number;
  amounts: Money[];
}

export interface Pipeline {
  stages: PipelineStage[];
  openPipeline: PipelineTotal;
  won: PipelineTotal;
  total: { count: number };
}

export type StuckReason = 'sla_breached' | 'awaiting_confirmation' | 'activity_failing' | 'payment_overdue' | 'credit_hold';

export interface Owner {
  id: string;
  name: string | null;
}

export interface JourneySummary {
  id: string;
  stage: string;
  status: string;
  definition: { key: string; version: number };
  owner: Owner | null;
  lead: { name: string | null; email: string | null; company: string | null };
  amount: Money | null;
  stageEnteredAt: string;
  pendingRole: string | null;
  stuck: { reason: StuckReason; since: string; hold: string | null; lastError: string | null } | null;
  createdAt: string;
}

export interface JourneyPage {
  items: JourneySummary[];
  nextCursor: string | null;
}

export interface Lead {
  id: string;
  source: string;
  name: string;
  email: string;
  phone: string | null;
  company: string | null;
  companySize: number | null;
  country: string | null;
  industry: string | null;
  productInterest: string | null;
  message: string | null;
  duplicateOf: string | null;
  score: number | null;
  grade: string | null;
}

export interface QuoteLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: Money;
  discountPct: string;
  /** After the discount, before tax. */
  net: Money;
  taxRatePct: string;
  total: Money;
}

/** A document's net, tax per VAT rate and gross, summed from its rounded lines. */
export interface DocumentTotals {
  net: Money;
  taxes: { ratePct: string; net: Money; tax: Money }[];
  gross: Money;
}

/** What a new quote of the journey is priced with. */
export interface Pricing {
  currency: string;
  taxCountry: string;
  taxRatePct: string | null;
}

/** A postal address as the API takes and gives it (country: ISO 3166-1 alpha-2). */
export interface Address {
  line1: string;
  line2?: string;
  postalCode: string;
  city: string;
  region?: string;
  country: string;
}

export interface JourneyAddresses {
  accountId: string;
  billing: Address | null;
  shipping: Address | null;
}

/** An accessory or substitute recommended for the order; ADD_LINES adds it before CONFIRM. */
export interface OrderSuggestion {
  sku: string;
  name: string;
  reason: 'accessory' | 'substitute';
  forSku: string;
  unitPrice: Money | null;
  onOrder: boolean;
}

export interface Documents {
  quotes: {
    id: string;
    number: string;
    version: number;
    status: string;
    lines: QuoteLine[];
    total: Money;
    totals: DocumentTotals;
    validUntil: string;
    author: string;
  }[];
  order: {
    id: string;
    number: string;
    total: Money;
    totals: DocumentTotals;
    status: string;
    creditStatus: string;
    lines: QuoteLine[];
    suggestions: OrderSuggestion[];
    shipTo: Address | null;
  } | null;
  shipments: { id: string; status: string; carrier: string | null; trackingNumber: string | null; shippedAt: string | null; shipTo: Address | null }[];
  invoices: {
    id: string;
    number: string;
    total: Money;
    totals: DocumentTotals;
    dueDate: string;
    status: string;
    amountDue: Money;
    creditApplied: Money;
    billTo: Address | null;
  }[];
  payments: { id: string; amount: Money; reference: string; receivedAt: string }[];
  backorder: Backorder[];
}

/** What the journey's order still misses, and the purchase orders raised for it. */
export interface Backorder {
  sku: string;
  name: string;
  short: number;
  purchaseOrders: { id: string; number: string; status: string; ordered: number; received: number }[];
}

export interface PurchaseOrder {
  id: string;
  number: string;
  status: 'open' | 'received' | 'cancelled';
  supplier: string | null;
  lines: { sku: string; name: string; ordered: number; received: number; outstanding: number }[];
  raisedFor: { orderId: string; orderNumber: string; journeyId: string } | null;
  createdAt: string;
  receivedAt: string | null;
}

export interface ReceiptAnswer {
  receiptId: string;
  lines: { sku: string; quantity: number }[];
  purchaseOrder: PurchaseOrder;
  restocked: { journeyId: string; orderId: string }[];
}

export interface Notification {
  kind: string;
  to: string;
  subject: string;
  sentAt: string | null;
  createdAt: string;
}

export interface TimelineEntry {
  at: string;
  type: string;
  stage: string;
  event: string | null;
  actor: string | null;
  actorName: string | null;
  detail: Record<string, unknown>;
}

export interface JourneyDetail extends Omit<JourneySummary, 'lead'> {
  lead: Lead | null;
  leadSummary: JourneySummary['lead'];
  addresses: JourneyAddresses | null;
  pricing: Pricing | null;
  allowedEvents: string[];
  pendingCheckpoint: PendingCheckpoint | null;
  parked: Parked | null;
  live: boolean;
  documents: Documents;
  notifications: Notification[];
  timeline: TimelineEntry[];
  temporalUrl: string | null;
  waitReason: WaitReason | null;
}

export interface LeadCreated {
  journeyId: string;
  leadId: string | null;
  stage: string;
  status: string;
  duplicateOf?: string;
  assignment?: LeadAssignment;
}

/** Where a captured lead went, and by which response rule. */
export interface LeadAssignment {
  owner: Owner | null;
  team: string | null;
  rule: string | null;
  visibleToYou: boolean;
}

export interface Product {
  sku: string;
  name: string;
  category: string;
  price: Money | null;
  accessories: string[];
  availability: { onHand: number; reserved: number; available: number; incoming: number };
}

export interface StuckRow {
  journeyId: string;
  reason: StuckReason;
  since: string;
  ageSeconds: number;
  stage: string;
  status: string;
  amount: Money | null;
  owner: Owner | null;
  pendingRole: string | null;
  parkedActivity: string | null;
  hold: string | null;
  lastError: string | null;
  lead: { name: string | null; company: string | null };
}

export interface StuckActionResult {
  journeyId: string;
  ok: boolean;
  status: number;
  stage?: string;
  ownerId?: string;
  error?: { code: string; message: string };
}

export interface StuckActionAnswer {
  action: string;
  succeeded: number;
  failed: number;
  results: StuckActionResult[];
}

export interface ValidationError {
  path: string;
  message: string;
  /** A knock-on: the path of the root error it follows from. */
  causedBy?: string;
}

export interface DefinitionSummary {
  key: string;
  version: number;
  status: 'draft' | 'published';
  title: string | null;
  builtIn: boolean;
  active: boolean;
  createdBy: string | null;
  createdAt: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
}

export type LeadSource = 'web_form' | 'email' | 'phone' | 'social' | 'import' | 'api' | 'referral' | 'event';

/** GET/PUT /v1/process-routing: which process key a new lead starts on. */
export interface ProcessRouting {
  default: string;
  rules: { when: { source?: LeadSource; country?: string; productInterest?: string }; key: string }[];
  version: number;
  savedBy: string | null;
  savedAt: string | null;
}

export interface DefinitionDetail extends DefinitionSummary {
  definition: Record<string, unknown>;
  validation: { ok: boolean; errors: ValidationError[] };
  mermaid: string | null;
}

/** GET /v1/reports/kpis (DESIGN.md section 7.4). */
export interface KpiFigures {
  pipeline: { byStage: { stage: string; count: number; amount: Money; weighted: Money }[]; total: Money; weighted: Money };
  winRate: { count: number | null; value: number | null };
  conversion: { from: string; to: string; rate: number | null }[];
  cycleTimeDays: { median: number | null; p80: number | null };
  averageDealSize: Money | null;
  timeInStage: { stage: string; medianHours: number; p90Hours: number }[];
  receivables: { ageing: Record<'current' | 'd1_30' | 'd31_60' | 'd61_90' | 'd90_plus', Money>; dsoDays: number | null };
  orderToCashDays: { median: number | null };
}

export interface KpiReport extends KpiFigures {
  groups?: (KpiFigures & { group: string | null; label: string | null })[];
}

/** POST /v1/finance/bank-statements. */
export interface StatementImport {
  importId: string;
  lines: number;
  matched: number;
  suggested: number;
  unmatched: number;
  duplicates: number;
  warnings: string[];
}

export type BankLineState = 'unmatched' | 'suggested' | 'matched' | 'ignored' | 'reversed';

export interface BankAllocation {
  id: string;
  invoiceId: string;
  journeyId: string;
  amount: Money;
  rule: string;
  appliedAt: string | null;
  lastError: string | null;
}

/** A line of GET /v1/finance/bank-lines. */
export interface BankLine {
  id: string;
  bookingDate: string;
  amount: Money;
  direction: 'credit' | 'debit';
  reversal: boolean;
  state: BankLineState;
  counterparty: { name: string | null; iban: string | null };
  remittance: string;
  candidates: { invoiceId: string; number: string; amountDue: Money; reasons: string[] }[];
  allocations: BankAllocation[];
  allocated: Money;
  reverses: { lineId: string; paid: BankAllocation[] } | null;
  note: string | null;
}

/** A migration's verdict for one journey (DESIGN.md section 7.2). */
export type MigrationVerdict =
  'ready' | 'ready_at_safe_point' | 'blocked_unmapped_stage' | 'blocked_checkpoint_changed' | 'blocked_no_path_to_final' | 'skipped_final';

export type MigrationStatus = 'planned' | 'running' | 'paused' | 'done' | 'cancelled';

export interface MigrationItem {
  journeyId: string;
  stage: string;
  verdict: MigrationVerdict;
  reason?: string;
  target?: string;
  /** Once applied: migrated, refused (it changed since the dry run) or failed. */
  result: 'migrated' | 'refused' | 'failed' | null;
  resultDetail?: string;
}

/** A plan as GET /v1/migrations lists it. */
export type MigrationSummary = Omit<Migration, 'items'>;

/** GET /v1/migrations/{id}, and the answers of its POSTs. */
export interface Migration {
  id: string;
  key: string;
  fromVersion: number;
  toVersion: number;
  stageMap: Record<string, string>;
  timers: 'keep' | 'restart';
  status: MigrationStatus;
  createdBy: string;
  createdAt: string;
  dryRunAt: string | null;
  counts: Record<MigrationVerdict, number>;
  items: MigrationItem[];
}

export interface ResponseRule {
  name: string;
  when: { country?: string; minCompanySize?: number; maxCompanySize?: number; productInterest?: string };
  team?: string;
  ownerId?: string;
  templateKey?: string;
}

export interface ResponseRules {
  rules: ResponseRule[];
  version: number;
  savedBy: string | null;
  savedAt: string | null;
}

export interface EmailTemplateSummary {
  key: string;
  kind: string;
  productInterest: string | null;
  subject: string;
  version: number;
  savedBy: string | null;
  savedAt: string | null;
}

export interface EmailTemplate extends EmailTemplateSummary {
  text: string;
  html: string;
  placeholders: { name: string; description: string; sample: string }[];
  history: { version: number; savedBy: string | null; savedAt: string }[];
}

export interface TemplatePreview {
  subject: string;
  text: string;
  html: string;
}

export interface LeadForm {
  formKey: string;
  name: string;
  allowedOrigins: string[];
  createdBy: string;
  createdAt: string;
}

/** A refund of customer credit (POST /v1/accounts/{id}/credit-refunds). */
export interface CreditNote {
  id: string;
  number: string;
  accountId: string;
  amount: Money;
  reason: string;
  createdBy: string;
  createdAt: string;
  pdf: string;
}

/** GET /v1/finance/credits: an account holding customer credit. */
export interface CreditHolder {
  accountId: string;
  accountName: string;
  available: Money[];
}

/** GET /v1/accounts/{id}/credit. */
export interface AccountCredit {
  accountId: string;
  accountName: string;
  available: Money[];
  credits: { id: string; paymentId: string; invoiceId: string; invoiceNumber: string | null; amount: Money; remaining: Money; createdAt: string }[];
  uses: {
    creditId: string;
    invoiceId: string | null;
    invoiceNumber: string | null;
    creditNoteId: string | null;
    creditNoteNumber: string | null;
    amount: Money;
    at: string;
  }[];
  creditNotes: CreditNote[];
}

export interface WaitReason {
  kind: 'approval' | 'confirmation' | 'shortage' | 'customer' | 'payment' | 'collections' | 'parked' | 'credit_hold' | 'none';
  text: string;
  next: string | null;
  nextAt: string | null;
}

export type QueueName = 'approvals' | 'warehouse' | 'invoices' | 'mine' | 'team';

export interface QueueItem {
  journeyId: string;
  stage: string;
  status: string;
  lead: { name: string | null; company: string | null };
  owner: Owner | null;
  amount: Money | null;
  since: string;
  waitReason: WaitReason;
  stuck: { reason: StuckReason; since: string } | null;
  order: {
    number: string;
    lines: { sku: string; name: string; quantity: number }[];
    picked: boolean;
    packed: boolean;
    shipBy: string | null;
    shipTo: Address | null;
    shortages: { sku: string; quantity: number; purchaseOrder: string }[];
  } | null;
  invoice: {
    number: string;
    dueDate: string;
    amountDue: Money;
    daysOverdue: number;
    lastReminder: { level: number; sentAt: string } | null;
  } | null;
}

export interface QueueCount {
  queue: QueueName;
  count: number;
}
