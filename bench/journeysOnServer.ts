// `npm run bench -- journeys --temporal=server`: the engine's journeys on the real Temporal server
// on PostgreSQL, with one and with two worker processes, against the dev server (SQLite, one
// writer) in the same run as the reference. For each: journeys/s, update latency, each process's
// CPU share (which one saturates) and, on the server, the rows it writes per journey.
import { Client, Connection } from '@temporalio/client';
import type { ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild } from '../scripts/stack/process';
import { startTemporal, type TemporalServer } from '../scripts/stack/temporal';
import { sampleCpu, type CpuShares, type SampledProcess } from './cpuSampler';
import { autoProcess, engineJourney, pool } from './engineJourney';
import { prepareDatabase } from './inProcessWorker';
import { postgresLabel, postmasterPid } from './postgresProcesses';
import type { BenchOptions } from './run';
import { percentile, report } from './report';
import { readWrites, writesPerJourney } from './serverWrites';
import { forkWorker } from './workerProcess';

interface Configuration {
  name: string;
  temporal: TemporalServer;
  workers: number;
}

interface Measured {
  perSecond: number;
  samples: number[];
  cpu: CpuShares;
  load: number[];
  writes: ReturnType<typeof writesPerJourney>;
}

export async function runOnServer(options: BenchOptions): Promise<void> {
  const { stack } = options;
  const count = options.quick ? 20 : 200;
  const concurrency = options.quick ? 10 : 40;
  const warmUp = options.quick ? 4 : 10;
  const server = stack.temporal;
  if (!server?.child?.pid) throw new Error('journeys --temporal=server needs the Temporal server this run started (unset TEMPORAL_ADDRESS)');
  const { db, url } = await prepareDatabase(stack.databaseUrl, 'bench_journeys_server');
  await db.destroy();
  const postgres = await postmasterPid(stack.databaseUrl);
  const say = (line: string) => process.stderr.write(`[stack] ${line}\n`);
  const dev = await startTemporal({ port: await freePort(), logFile: join(stack.dataDir, 'logs', 'temporal-dev.log'), say });
  const definition = autoProcess();

  async function measure(config: Configuration): Promise<Measured> {
    const taskQueue = `bench-server-${config.workers}-${Date.now()}`;
    const env = {
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: config.temporal.address,
      TEMPORAL_NAMESPACE: stack.temporalNamespace,
      SMTP_URL: stack.smtpUrl,
      L2C_TASK_QUEUE: taskQueue,
    };
    const workers: ChildProcess[] = [];
    const connection = await Connection.connect({ address: config.temporal.address });
    const client = new Client({ connection, namespace: stack.temporalNamespace });
    try {
      for (let w = 0; w < config.workers; w++) workers.push(await forkWorker('./apiWorker.ts', env));
      process.stderr.write(`${config.name}: warming up (${warmUp} journeys)…\n`);
      await pool(warmUp, warmUp, (i) => engineJourney(client, taskQueue, definition, 10_000 + i, []));
      const processes: SampledProcess[] = [
        { pid: config.temporal.child!.pid!, label: config.temporal === server ? 'Temporal server' : 'Temporal dev server', tree: true },
        { pid: postgres, label: postgresLabel, tree: true },
        ...workers.map((w, k) => ({ pid: w.pid!, label: `worker process ${k + 1}`, tree: true })),
        { pid: process.pid, label: 'benchmark process (client, SMTP sink)', tree: false },
      ];
      process.stderr.write(`${config.name}: ${count} journeys, ${concurrency} at a time…\n`);
      const samples: number[] = [];
      const writesBefore = await readWrites(stack.databaseUrl); // after the warm-up: the measured journeys' writes only
      const cpu = sampleCpu(processes);
      const started = performance.now();
      await pool(count, concurrency, (i) => engineJourney(client, taskQueue, definition, i, samples));
      const seconds = (performance.now() - started) / 1000;
      const shares = cpu.stop();
      const load = loadavg();
      return { perSecond: count / seconds, samples, cpu: shares, load, writes: writesPerJourney(writesBefore, await readWrites(stack.databaseUrl), count) };
    } finally {
      for (const w of workers) await stopChild(w);
      await connection.close();
    }
  }

  try {
    const configurations: Configuration[] = [
      { name: 'dev server, 1 worker process', temporal: dev, workers: 1 },
      { name: 'server on PostgreSQL, 1 worker process', temporal: server, workers: 1 },
      { name: 'server on PostgreSQL, 2 worker processes', temporal: server, workers: 2 },
    ];
    let reference: Measured | undefined;
    for (const config of configurations) {
      const m = await measure(config);
      if (config.temporal === dev) {
        reference = m;
        await dev.stop(); // idle from here on: leave the cores to the server
      }
      const against = (value: number, ref: number | undefined) =>
        reference && m !== reference && ref !== undefined ? { baseline: ref, ratio: value / ref } : {};
      report({
        bench: 'journeys',
        metric: `completed journeys/s, ${config.name} (n=${count}, concurrency ${concurrency})`,
        value: m.perSecond,
        unit: 'journeys/s',
        ...against(m.perSecond, reference?.perSecond),
      });
      for (const p of [50, 99]) {
        const value = percentile(m.samples, p);
        report({
          bench: 'journeys',
          metric: `update latency p${p}, ${config.name}`,
          value,
          unit: 'ms',
          ...against(value, reference && percentile(reference.samples, p)),
        });
      }
      const shares = [...m.cpu.byLabel].sort((a, b) => b[1] - a[1]);
      for (const [label, cores] of shares) report({ bench: 'journeys', metric: `CPU, ${config.name}: ${label}`, value: cores, unit: 'cores' });
      const ours = shares.reduce((sum, [, cores]) => sum + cores, 0);
      report({
        bench: 'journeys',
        metric: `CPU, ${config.name}: everyone else on the machine (busy minus the above)`,
        value: m.cpu.machineBusy - ours,
        unit: 'cores',
      });
      report({ bench: 'journeys', metric: `CPU, ${config.name}: the whole machine busy`, value: m.cpu.machineBusy, unit: 'cores' });
      report({
        bench: 'journeys',
        metric: `load average 1/5/15 min at the end, ${config.name}: ${m.load.map((l) => l.toFixed(2)).join(' / ')}`,
        value: m.load[0] ?? Number.NaN,
        unit: 'load',
      });
      for (const [key, n] of m.writes.commits)
        report({ bench: 'journeys', metric: `per journey, ${config.name}: ${key}`, value: n, unit: key.startsWith('WAL kB') ? 'kB' : 'count' });
      for (const [key, n] of m.writes.rows) report({ bench: 'journeys', metric: `rows written per journey, ${config.name}: ${key}`, value: n, unit: 'rows' });
    }
  } finally {
    await dev.stop();
  }
}
