// The local stack: PostgreSQL, Temporal (the dev server, or with L2C_TEMPORAL=server the real
// server on that PostgreSQL) and an SMTP sink, each started here unless the environment points at
// an existing one (DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Settings } from '../../config/settings';
import { startMailSink } from './mailSink';
import { startPostgres, type PostgresServer } from './postgres';
import { freePort, isPortFree } from './process';
import { startTemporal, type TemporalServer } from './temporal';
import { freeLowPort, startTemporalServer, type ServerPorts } from './temporalServer';

export interface StackInfo {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalUiUrl: string | null;
  smtpUrl: string;
  /** HTTP mailbox of the SMTP sink; null when SMTP_URL points elsewhere. */
  mailboxUrl: string | null;
  dataDir: string;
}

export interface Stack extends StackInfo {
  temporal: TemporalServer | null;
  /** Stops Temporal and starts it again on the same port and data (chaos tests). */
  restartTemporal(): Promise<void>;
  /** The same for our private PostgreSQL. */
  restartPostgres(): Promise<void>;
  stop(): Promise<void>;
}

async function preferredPort(preferred: number): Promise<number> {
  return (await isPortFree(preferred)) ? preferred : freePort();
}

/**
 * `persistent`: data survives restarts (npm start, chaos tests): Temporal on a SQLite file.
 * Otherwise (tests): Temporal in memory; PostgreSQL still lives in `dataDir`. `ui` (the default
 * when persistent) adds Temporal's Web UI and prefers the usual ports 7233 and 8233.
 */
export async function startStack(
  settings: Settings,
  options: { dataDir: string; persistent: boolean; ui?: boolean; say: (line: string) => void },
): Promise<Stack> {
  const ui = options.ui ?? options.persistent;
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    stoppers.length = 0;
  };

  try {
    let databaseUrl = settings.DATABASE_URL;
    let postgres: PostgresServer | null = null;
    if (!databaseUrl) {
      postgres = await startPostgres({
        dataDir: join(dataDir, 'postgres'),
        dataRoot: dataDir,
        port: await freePort(),
        logFile: join(logDir, 'postgres.log'),
        say: options.say,
      });
      stoppers.push(postgres.stop);
      databaseUrl = postgres.url;
    }

    let smtpUrl = settings.SMTP_URL;
    let mailboxUrl: string | null = null;
    if (!smtpUrl) {
      const sink = await startMailSink({
        smtpPort: await freePort(),
        httpPort: await freePort(),
        ...(options.persistent ? { storeFile: join(dataDir, 'mailbox.jsonl') } : {}),
      });
      stoppers.push(sink.stop);
      smtpUrl = sink.smtpUrl;
      mailboxUrl = sink.mailboxUrl;
    }

    let temporal: TemporalServer | null = null;
    let temporalAddress = settings.TEMPORAL_ADDRESS;
    const server = settings.L2C_TEMPORAL === 'server';
    const temporalOptions = {
      // The real server keeps its ports in smallint columns: below the ephemeral range.
      port: ui ? await preferredPort(7233) : server ? await freeLowPort() : await freePort(),
      ...(ui ? { uiPort: await preferredPort(8233) } : {}),
      ...(options.persistent ? { dbFile: join(dataDir, 'temporal.sqlite') } : {}),
    };
    const logFile = join(logDir, 'temporal.log');
    let serverPorts: ServerPorts | undefined;
    const startOurTemporal = async (): Promise<TemporalServer> => {
      if (!server) return startTemporal({ ...temporalOptions, logFile, say: options.say });
      const started = await startTemporalServer({
        port: temporalOptions.port,
        ...(serverPorts ? { ports: serverPorts } : {}),
        databaseUrl: databaseUrl as string,
        logFile,
        say: options.say,
      });
      serverPorts = started.ports;
      return started;
    };
    if (!temporalAddress) {
      temporal = await startOurTemporal();
      stoppers.push(() => temporal?.stop() ?? Promise.resolve());
      temporalAddress = temporal.address;
    }

    return {
      databaseUrl,
      temporalAddress,
      temporalNamespace: settings.TEMPORAL_NAMESPACE,
      temporalUiUrl: temporal?.uiUrl ?? null,
      smtpUrl,
      mailboxUrl,
      dataDir,
      get temporal() {
        return temporal;
      },
      async restartTemporal() {
        if (!temporal) throw new Error('TEMPORAL_ADDRESS points at a server we do not own');
        await temporal.stop();
        temporal = await startOurTemporal();
      },
      async restartPostgres() {
        if (!postgres) throw new Error('DATABASE_URL points at a server we do not own');
        await postgres.restart();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
