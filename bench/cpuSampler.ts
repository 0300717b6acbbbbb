// CPU share of the processes a benchmark runs on, sampled from /proc while it runs: each process's
// utime+stime delta (all its threads), summed per label over a process and, optionally, its
// descendants. Also the whole machine's busy cores, so others' load on a shared machine shows.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface SampledProcess {
  pid: number;
  /** A fixed label, or one chosen per process from its command line (PostgreSQL's backends name their database there). */
  label: string | ((cmdline: string) => string);
  /** Count the process's descendants too. */
  tree: boolean;
}

interface ProcStat {
  ppid: number;
  ticks: number;
  startTicks: number;
}

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), startTicks: Number(rest[19]) };
  } catch {
    return null; // gone between listing and reading
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

function allStats(): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  return stats;
}

/** Busy and total jiffies of all CPUs together (the first line of /proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal; guest is inside user
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

function uptimeTicks(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * ticksPerSecond;
}

export interface CpuShares {
  seconds: number;
  /** Cores used on average per label (1 = one core fully busy). */
  byLabel: Map<string, number>;
  /** Busy cores of the whole machine, ours and everyone else's. */
  machineBusy: number;
}

/**
 * Samples every `intervalMs` until stop(). A process first seen after the start counts from its
 * birth; one that exits between two samples loses at most one interval.
 */
export function sampleCpu(processes: SampledProcess[], intervalMs = 500): { stop(): CpuShares } {
  const startedAt = performance.now();
  const startedTicks = uptimeTicks();
  const machineStart = machineTicks();
  const last = new Map<number, number>();
  const used = new Map<string, number>();

  const tick = () => {
    const stats = allStats();
    const children = new Map<number, number[]>();
    for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
    const seen = new Set<number>();
    for (const p of processes) {
      const pids = [p.pid];
      for (let i = 0; p.tree && i < pids.length; i++) pids.push(...(children.get(pids[i]!) ?? []));
      for (const pid of pids) {
        const s = stats.get(pid);
        if (!s || seen.has(pid)) continue;
        seen.add(pid);
        const before = last.get(pid) ?? (s.startTicks >= startedTicks ? 0 : s.ticks);
        last.set(pid, s.ticks);
        const label = typeof p.label === 'string' ? p.label : p.label(cmdline(pid));
        used.set(label, (used.get(label) ?? 0) + s.ticks - before);
      }
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      const seconds = (performance.now() - startedAt) / 1000;
      const machineEnd = machineTicks();
      const byLabel = new Map([...used].map(([label, ticks]) => [label, ticks / ticksPerSecond / seconds]));
      const cores = (machineEnd.total - machineStart.total) / ticksPerSecond / seconds;
      return { seconds, byLabel, machineBusy: ((machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)) * cores };
    },
  };
}
