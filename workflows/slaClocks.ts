// The journey's SLA clocks (DESIGN.md section 7.2): one Temporal timer per open SLA watch
// (machines/sla.ts), started when the watch opens and cancelled when it ends (the stage left, the
// checkpoint no longer waiting). Deadlines are instants the journey's state holds, so the run after
// a continue-as-new starts the same timers again from the snapshot it was handed.
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { SlaWatch } from '../machines/sla';

export class SlaClocks {
  private readonly running = new Map<string, CancellationScope>();

  constructor(private readonly ranOut: (watch: SlaWatch) => void) {}

  /** One timer per watch in `open`: starts those not running, cancels those no longer open. */
  follow(open: readonly SlaWatch[]): void {
    for (const [key, scope] of this.running) {
      if (open.some((w) => w.key === key)) continue;
      scope.cancel();
      this.running.delete(key);
    }
    for (const watch of open) if (!this.running.has(watch.key)) this.start(watch);
  }

  private start(watch: SlaWatch): void {
    const scope = new CancellationScope();
    this.running.set(watch.key, scope);
    void scope
      .run(() => sleep(Math.max(1, Date.parse(watch.deadline) - Date.now())))
      .then(
        () => {
          this.running.delete(watch.key);
          this.ranOut(watch);
        },
        (error: unknown) => {
          if (!isCancellation(error)) throw error;
        },
      );
  }
}
