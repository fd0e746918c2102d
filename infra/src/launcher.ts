import { setTimeout as sleep } from 'node:timers/promises';
import { endpointsFromEnv, type Endpoints } from '@chat/runtime';
import { InfraError } from './errors.js';
import { assertPortFree } from './ports.js';
import { runningPid, stop, tailOf } from './processes.js';
import { kafkaServer } from './servers/kafka.js';
import { mongoServer } from './servers/mongo.js';
import { redisServer } from './servers/redis.js';
import type { LocalServer } from './servers/server.js';
import { ensurePlatformTopics } from './topics.js';

export type Report = (server: string, message: string) => void;

export function platformServers(endpoints: Endpoints = endpointsFromEnv()): LocalServer[] {
  return [
    kafkaServer(endpoints.kafkaBrokers, endpoints.external.kafka),
    mongoServer(endpoints.mongoUrl, endpoints.external.mongo),
    redisServer(endpoints.redisUrl, endpoints.external.redis),
  ];
}

/**
 * Brings one server to "answering": reuses ours when it already answers,
 * restarts ours when it is stuck, starts it when absent; an external server
 * is only probed. Idempotent.
 */
export async function bringUp(
  server: LocalServer,
  report: Report,
): Promise<'external' | 'reused' | 'started'> {
  if (server.external) {
    await probeOrExplain(server, 15);
    return 'external';
  }
  if (runningPid(server.process) !== undefined) {
    try {
      await server.probe();
      return 'reused';
    } catch {
      report(server.name, 'running but not answering: restarting it');
      await stop(server.process);
    }
  }
  await server.install((message) => report(server.name, message));
  for (const port of server.ports) await assertPortFree(port, server.name, server.envVariable);
  server.spawn();
  await waitUntilAnswering(server);
  return 'started';
}

async function probeOrExplain(server: LocalServer, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await server.probe();
    } catch (error) {
      if (Date.now() > deadline) {
        throw new InfraError(
          'NOT_ANSWERING',
          `${server.name} at ${server.address} (from ${server.envVariable}) did not answer within ${seconds} s: ${(error as Error).message}`,
        );
      }
      await sleep(500);
    }
  }
}

async function waitUntilAnswering(server: LocalServer): Promise<void> {
  const deadline = Date.now() + server.startTimeoutSeconds * 1000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (runningPid(server.process) === undefined) {
      throw new InfraError(
        'START_FAILED',
        `${server.name} exited while starting. Last lines of ${server.process.logFile}:\n${tailOf(server.process.logFile)}`,
      );
    }
    try {
      return await server.probe();
    } catch (error) {
      lastError = error;
      await sleep(500);
    }
  }
  throw new InfraError(
    'START_FAILED',
    `${server.name} did not answer within ${server.startTimeoutSeconds} s (${(lastError as Error | undefined)?.message}). ` +
      `Last lines of ${server.process.logFile}:\n${tailOf(server.process.logFile)}`,
  );
}

export async function up(report: Report): Promise<LocalServer[]> {
  const endpoints = endpointsFromEnv();
  const servers = platformServers(endpoints);
  // Cold installs (Maven, Go build, apt) dominate the first run, so servers come up side by side.
  const results = await Promise.allSettled(
    servers.map(async (server) => {
      const started = Date.now();
      const how = await bringUp(server, report);
      report(
        server.name,
        `${how}, answering at ${server.address} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    }),
  );
  const failures = results.flatMap((result) =>
    result.status === 'rejected' ? [result.reason as unknown] : [],
  );
  if (failures.length > 0) throw failures[0];
  const created = await ensurePlatformTopics(endpoints.kafkaBrokers);
  report('kafka', created.length ? `created topics ${created.join(', ')}` : 'platform topics present');
  return servers;
}

export async function down(report: Report): Promise<void> {
  await stopServers(platformServers(), report);
}

/** Stops those of `servers` this launcher started; external ones are left alone. */
export async function stopServers(servers: LocalServer[], report: Report): Promise<void> {
  await Promise.all(
    servers.map(async (server) => {
      if (server.external) return;
      report(server.name, (await stop(server.process)) ? 'stopped' : 'was not running');
    }),
  );
}

export interface ServerStatus {
  name: string;
  address: string;
  external: boolean;
  pid?: number;
  answering: boolean;
  error?: string;
}

export async function status(): Promise<ServerStatus[]> {
  return statusOf(platformServers());
}

export async function statusOf(servers: LocalServer[]): Promise<ServerStatus[]> {
  return Promise.all(
    servers.map(async (server) => {
      const pid = server.external ? undefined : runningPid(server.process);
      const base = { name: server.name, address: server.address, external: server.external, pid };
      if (!server.external && pid === undefined) return { ...base, answering: false, error: 'not running' };
      try {
        await server.probe();
        return { ...base, answering: true };
      } catch (error) {
        return { ...base, answering: false, error: (error as Error).message };
      }
    }),
  );
}
