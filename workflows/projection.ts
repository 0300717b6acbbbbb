// The journey's projection: the PostgreSQL row that lists, the stuck monitor and reports read, its
// audit trail, and the search attributes Temporal's own UI filters by. Written in order, only when
// something a reader sees changed or the audit grew; every write is idempotent (recordJourney moves
// the row forward by `version` and keeps each audit entry once), so a write run again is harmless.
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { JourneyAuditEntry, JourneyRecord } from '../activities/journeyRecord';
import type { JourneyDescription } from '../machines/describeJourney';
import type { LeadInput } from '../machines/schema/activityCatalogue';
import type { ProcessDefinition } from '../machines/schema/processDefinition';
import { L2CAmount, L2COwner, L2CStage, L2CStageEnteredAt, L2CStatus } from './searchAttributes';

/** What a run hands the next on continue-as-new. */
export interface ProjectionCarryOver {
  auditSeq: number;
  recordVersion: number;
  recorded: string;
  /** Projection writes still in flight when the run ended, merged into one (idempotent) write. */
  unrecorded: JourneyRecord | null;
}

interface Journey {
  journeyId: string;
  definition: ProcessDefinition;
  lead: LeadInput;
}

export class Projection {
  private auditSeq: number;
  private recordVersion: number;
  /** The visible fields last written, as JSON. */
  private lastRecorded: string;
  private pendingAudit: JourneyAuditEntry[] = [];
  private written: Promise<void> = Promise.resolve();
  /** Writes not yet confirmed, oldest first. */
  private readonly unconfirmed: JourneyRecord[] = [];

  constructor(
    private journey: Journey,
    private readonly recordJourney: (record: JourneyRecord) => Promise<void>,
    carried?: Omit<ProjectionCarryOver, 'unrecorded'>,
  ) {
    this.auditSeq = carried?.auditSeq ?? 0;
    this.recordVersion = carried?.recordVersion ?? 0;
    this.lastRecorded = carried?.recorded ?? '';
  }

  /** The journey runs on another version of its process from now on (a migration). */
  moveTo(definition: ProcessDefinition): void {
    this.journey = { ...this.journey, definition };
  }

  /** The sequence number of the latest audit entry. */
  get lastSeq(): number {
    return this.auditSeq;
  }

  /** Adds an entry to the audit trail; the next record() writes it. */
  audit(entry: Omit<JourneyAuditEntry, 'seq'>): void {
    this.pendingAudit.push({ ...entry, seq: ++this.auditSeq });
  }

  /** Writes the projection and upserts search attributes when something a list shows changed. */
  record(d: JourneyDescription): void {
    const { journeyId, definition, lead } = this.journey;
    // A hold joins the list only when there is one, so records of journeys without holds stay as they were.
    const visible = JSON.stringify([d.stage, d.status, d.ownerId, d.amount, d.pendingCheckpoint, d.parked, d.stageEnteredAt, ...(d.hold ? [d.hold] : [])]);
    if (visible === this.lastRecorded && this.pendingAudit.length === 0) return;
    if (visible !== this.lastRecorded) {
      upsertSearchAttributes([
        { key: L2CStage, value: d.stage },
        { key: L2CStatus, value: d.status },
        { key: L2CStageEnteredAt, value: new Date(d.stageEnteredAt) },
        { key: L2COwner, value: d.ownerId },
        { key: L2CAmount, value: d.amount ? Number(d.amount.amount) : null },
      ]);
    }
    this.lastRecorded = visible;
    const entry: JourneyRecord = {
      journeyId,
      workflowId: workflowInfo().workflowId,
      definition: { key: definition.key, version: definition.version },
      version: ++this.recordVersion,
      stage: d.stage,
      status: d.status,
      stageEnteredAt: d.stageEnteredAt,
      ownerId: d.ownerId,
      lead: { name: lead.name, email: lead.email, company: lead.company ?? null },
      amount: d.amount,
      pending: d.pendingCheckpoint ? { role: d.pendingCheckpoint.role, since: d.pendingCheckpoint.since } : null,
      parked: d.parked
        ? {
            activity: d.parked.activity,
            error: d.parked.error.message,
            ...(d.parked.error.type ? { errorType: d.parked.error.type } : {}),
            since: d.parked.since,
          }
        : null,
      slaDueAt: d.slaDueAt,
      hold: d.hold ? { reason: d.hold.message, since: d.hold.since } : null,
      audit: this.pendingAudit,
    };
    this.pendingAudit = [];
    this.write(entry);
  }

  /** Writes what the previous run left unconfirmed. */
  resume(unrecorded: JourneyRecord | null): void {
    if (unrecorded) this.write(unrecorded);
  }

  /** Resolves once every write so far is confirmed. */
  settled(): Promise<void> {
    return this.written;
  }

  carryOver(): ProjectionCarryOver {
    return { auditSeq: this.auditSeq, recordVersion: this.recordVersion, recorded: this.lastRecorded, unrecorded: this.unrecorded() };
  }

  private write(entry: JourneyRecord): void {
    this.unconfirmed.push(entry);
    this.written = this.written.then(async () => {
      await this.recordJourney(entry);
      this.unconfirmed.splice(this.unconfirmed.indexOf(entry), 1);
    });
  }

  /** Everything not yet confirmed as one write: the newest projection with every pending audit entry. */
  private unrecorded(): JourneyRecord | null {
    const latest = this.unconfirmed.at(-1);
    return latest ? { ...latest, audit: this.unconfirmed.flatMap((r) => r.audit) } : null;
  }
}
