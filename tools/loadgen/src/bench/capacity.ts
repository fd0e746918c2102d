/**
 * Capacity in one run, so machine noise cancels: the gateway beside the
 * minimal gateway (the same libraries doing the same work and nothing else,
 * `src/baselines/minimal-gateway.ts`), on the same broker, Redis and load.
 * For each: the highest rate it sustains (98 % accepted, ack p99 ≤ 100 ms),
 * searched from BENCH_SEARCH_FROM [1000] in steps of 25 % and one
 * bisection; BENCH_FRACTION [0.5] of that; saturated, offered
 * BENCH_SATURATION [2] times that (the CPU per message compared); then the
 * accepted rate when offered BENCH_RATE, far more than it takes (last: an
 * overload's aftermath would disturb the runs after it).
 * Each run reports CPU µs per accepted message for every process (server,
 * Kafka, Redis, load generator), Redis reads per send (about one per round
 * trip), ack and send→delivered percentiles and the zero-loss account.
 * Targets (issue: capacity): gateway ≥ 3,000 msg/s sustained; CPU per
 * message ≤ 2 × the minimal gateway's; ≤ 1 Redis round trip per send; at
 * half rate delivered p50 ≤ 15 ms, p99 ≤ 75 ms.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTopics } from '@chat/base-listener';
import { startService, stopAll, waitUntilReady } from '@chat/infra/platform';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import getPort from 'get-port';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { DEFAULT_REPORTS_DIR } from '../cli/summary.js';
import { startPlatform } from '../platform/platform.js';
import type { LoadReport } from '../report/report.js';
import { runLoad } from '../run-load.js';
import { localKafkaPid, processCpuMicros, redisCounters } from './process-cpu.js';
import { benchGatewayEnv, benchSettings, loadAverage, loadOf, verdict } from './settings.js';

const LOADGEN_DIR = join(import.meta.dirname, '../..');
const PARTITIONS = 6;
const settings = benchSettings({
  rate: 8_000,
  durationSeconds: 20,
  warmUpSeconds: 5,
  users: 100,
  rooms: 200,
  members: 2,
  messageBytes: 200,
});
const fraction = Number(process.env.BENCH_FRACTION ?? '0.5');
/**
 * Saturated: offered this many times the sustained rate. Not BENCH_RATE: a
 * process without admission control (the minimal gateway) accepts nothing
 * when offered far more than it takes, so it has no CPU per message there.
 */
const saturation = Number(process.env.BENCH_SATURATION ?? '2');
/** Sustained: at least this share of the offered rate accepted, with ack p99 at most this (the target). */
const SUSTAINED_SHARE = 0.98;
const SUSTAINED_ACK_P99_MS = 100;
const STEP = 1.25;
const MAX_SEARCH_STEPS = 8;
/** Where the search for the sustained rate starts (BENCH_SEARCH_FROM). */
const searchFrom = Number(process.env.BENCH_SEARCH_FROM ?? '1000');
const outDir = join(DEFAULT_REPORTS_DIR, `bench-capacity-${new Date().toISOString().replace(/[:.]/g, '-')}`);
const endpoints = endpointsFromEnv();
const redis = new Redis(endpoints.redisUrl, { lazyConnect: true });
await redis.connect();
const kafkaPid = localKafkaPid();
const redisPid = (await redisCounters(redis)).pid;
console.log(
  `capacity benchmark; load average ${loadAverage()}; fraction ${fraction}; ${JSON.stringify(settings)}`,
);

interface Measured {
  report: LoadReport;
  /** CPU µs per accepted message over the measured window, per process. */
  cpuPerMessage: Record<string, number | undefined>;
  redisReadsPerSend: number;
}

interface Characterised {
  name: string;
  /** Offered BENCH_SATURATION times the sustained rate: busy all the time, still taking most of it. */
  saturated: Measured;
  /** Offered BENCH_RATE. */
  overloaded: Measured;
  /** The highest rate found sustained; undefined when none was. */
  sustained: Measured | undefined;
  /** At BENCH_FRACTION of the sustained rate (of the saturated one when none was). */
  steady: Measured;
}

interface Target {
  urls: { gatewayUrls: string[]; roomApiUrl: string };
  serverPid: number | undefined;
}

/** One load at `rate`, with CPU and Redis counters sampled at the start and the end of the measured window. */
async function measure(target: Target, rate: number): Promise<Measured> {
  const pids: Record<string, number | undefined> = {
    server: target.serverPid,
    kafka: kafkaPid,
    redis: redisPid,
    loadgen: process.pid,
  };
  const sample = async () => ({
    cpu: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMicros(pid)])),
    reads: (await redisCounters(redis)).reads,
  });
  const windowMs = { from: settings.warmUpSeconds * 1000, to: settings.durationSeconds * 1000 };
  let first: { at: Awaited<ReturnType<typeof sample>>; acked: number } | undefined;
  let last: { at: Awaited<ReturnType<typeof sample>>; acked: number } | undefined;
  let sampling: Promise<void> = Promise.resolve();
  const report = await runLoad({
    ...target.urls,
    ...loadOf(settings, rate),
    onProgress: ({ elapsedMs, acked }) => {
      if (!first && elapsedMs >= windowMs.from)
        sampling = sample().then((at) => void (first = { at, acked }));
      else if (first && !last && elapsedMs >= windowMs.to)
        sampling = sample().then((at) => void (last = { at, acked }));
    },
  });
  await sampling;
  const acked = first && last ? last.acked - first.acked : 0;
  const cpuPerMessage = Object.fromEntries(
    Object.keys(pids).map((name) => {
      const from = first?.at.cpu[name];
      const to = last?.at.cpu[name];
      return [name, from === undefined || to === undefined || acked === 0 ? undefined : (to - from) / acked];
    }),
  );
  const redisReadsPerSend = first && last && acked > 0 ? (last.at.reads - first.at.reads) / acked : NaN;
  return { report, cpuPerMessage, redisReadsPerSend };
}

/** A run is sustained when it took what was offered with ack p99 within the target. */
const sustains = ({ report }: Measured) =>
  report.acceptedPerSecond >= SUSTAINED_SHARE * report.offeredPerSecond &&
  report.latency.ack.p99 <= SUSTAINED_ACK_P99_MS;

/**
 * The highest offered rate sustained, from BENCH_SEARCH_FROM: up by STEP
 * while sustained (down while not), then one bisection between the last
 * rate that held and the first that did not.
 */
async function sustainedRun(name: string, target: Target): Promise<Measured | undefined> {
  const attempt = async (rate: number) => {
    await sleep(2_000);
    const run = await measure(target, rate);
    const ok = sustains(run);
    console.log(
      `${name}: offered ${rate} msg/s, accepted ${run.report.acceptedPerSecond}, ack p99 ${run.report.latency.ack.p99} ms: ${ok ? 'sustained' : 'not sustained'}; load average ${loadAverage()}`,
    );
    return { rate, run, ok };
  };
  let held: Awaited<ReturnType<typeof attempt>> | undefined;
  let failed: Awaited<ReturnType<typeof attempt>> | undefined;
  let rate = searchFrom;
  for (let step = 0; step < MAX_SEARCH_STEPS && !(held && failed); step += 1) {
    const tried = await attempt(rate);
    if (tried.ok) held = tried;
    else failed = tried;
    rate = Math.max(1, Math.round(tried.ok ? rate * STEP : rate / STEP));
  }
  if (held && failed) {
    const middle = await attempt(Math.round((held.rate + failed.rate) / 2));
    if (middle.ok) held = middle;
  }
  return held?.run;
}

/** The sustained rate, BENCH_FRACTION of it, BENCH_SATURATION times it, then the overload (offered BENCH_RATE) last. */
async function characterise(name: string, target: Target): Promise<Characterised> {
  const sustained = await sustainedRun(name, target);
  const base = sustained?.report.acceptedPerSecond ?? searchFrom;
  await sleep(2_000);
  const steady = await measure(target, Math.max(1, Math.round(base * fraction)));
  console.log(
    `${name}: at ${fraction} of it, ack p99 ${steady.report.latency.ack.p99} ms; load average ${loadAverage()}`,
  );
  await sleep(2_000);
  const saturated = await measure(target, Math.round(base * saturation));
  console.log(
    `${name}: at ${saturation} times it, accepted ${saturated.report.acceptedPerSecond} msg/s; load average ${loadAverage()}`,
  );
  await sleep(2_000);
  const overloaded = await measure(target, settings.rate);
  console.log(
    `${name}: offered ${settings.rate}, accepted ${overloaded.report.acceptedPerSecond} msg/s; load average ${loadAverage()}`,
  );
  return { name, saturated, overloaded, sustained, steady };
}

async function gatewayResults() {
  const platform = await startPlatform({
    logDir: join(outDir, 'logs'),
    gatewayEnv: benchGatewayEnv(settings),
    persistence: false,
  });
  try {
    const gateway = platform.launched.instances.find(({ service }) => service === 'chat');
    return await characterise('gateway', {
      urls: { gatewayUrls: platform.gatewayUrls, roomApiUrl: platform.roomApiUrl },
      serverPid: gateway?.child.pid,
    });
  } finally {
    await platform.stop();
  }
}

async function minimalResults() {
  const namespace = uniqueName('lg-minimal');
  const topic = `${namespace}.messages`;
  const kafka = new Kafka({
    clientId: 'capacity-bench',
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ name: topic, partitions: PARTITIONS, config: {} }]);
  const port = await getPort();
  const minimal = startService(
    {
      name: 'minimal',
      dir: LOADGEN_DIR,
      port,
      script: 'src/baselines/minimal-main.ts',
      env: { PORT: String(port), MINIMAL_TOPIC: topic, MINIMAL_NAMESPACE: namespace, LOG_LEVEL: 'warn' },
    },
    join(outDir, 'logs'),
  );
  try {
    await waitUntilReady(minimal);
    const url = `http://127.0.0.1:${port}`;
    return await characterise('minimal', {
      urls: { gatewayUrls: [url], roomApiUrl: url },
      serverPid: minimal.child.pid,
    });
  } finally {
    await stopAll([minimal]);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

const micros = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(0));

const row = (label: string, { report, cpuPerMessage, redisReadsPerSend }: Measured) =>
  [
    `| ${label}`,
    report.offeredPerSecond,
    report.acceptedPerSecond,
    micros(cpuPerMessage.server),
    micros(cpuPerMessage.kafka),
    micros(cpuPerMessage.redis),
    micros(cpuPerMessage.loadgen),
    redisReadsPerSend.toFixed(2),
    `${report.latency.ack.p50}/${report.latency.ack.p99}`,
    `${report.latency.delivered.p50}/${report.latency.delivered.p99}`,
    report.account.missingDelivered,
    report.account.duplicatesShown,
    '',
  ].join(' | ');

const cpuRatio = (gateway: Measured | undefined, minimal: Measured | undefined) =>
  (gateway?.cpuPerMessage.server ?? NaN) / (minimal?.cpuPerMessage.server ?? NaN);

try {
  const gateway = await gatewayResults();
  const minimal = await minimalResults();
  const sustainedRate = gateway.sustained?.report.acceptedPerSecond ?? 0;
  const ratio = cpuRatio(gateway.sustained, minimal.sustained);
  const saturatedRatio = cpuRatio(gateway.saturated, minimal.saturated);
  const reads = gateway.sustained?.redisReadsPerSend ?? NaN;
  const steady = gateway.steady.report;
  console.log(
    [
      '',
      '| | offered msg/s | accepted msg/s | server µs/msg | Kafka µs/msg | Redis µs/msg | load generator µs/msg | Redis reads/send | ack p50/p99 ms | delivered p50/p99 ms | missing delivered | duplicates shown |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...[gateway, minimal].flatMap(({ name, saturated, overloaded, sustained, steady: atFraction }) => [
        row(`${name} offered ${settings.rate}`, overloaded),
        row(`${name} at ${saturation} × sustained`, saturated),
        ...(sustained ? [row(`${name} sustained`, sustained)] : []),
        row(`${name} at ${fraction} of sustained`, atFraction),
      ]),
      '',
      `gateway sustained ${sustainedRate} msg/s with ack p99 ≤ ${SUSTAINED_ACK_P99_MS} ms (target ≥ 3000: ${verdict(sustainedRate >= 3000)}); ${gateway.overloaded.report.acceptedPerSecond} accepted under ${settings.rate} offered`,
      `CPU per message gateway/minimal, each at ${saturation} × its sustained rate (saturated), ${saturatedRatio.toFixed(2)} (target ≤ 2: ${verdict(saturatedRatio <= 2)}); each at its sustained rate ${ratio.toFixed(2)}`,
      // Background work (presence, the backup poll) is divided by fewer sends at lower rates: the sustained run is the per-send figure.
      `Redis reads per send sustained ${reads.toFixed(2)} (target ≤ 1 round trip: ${verdict(reads <= 1)}); at ${fraction} ${gateway.steady.redisReadsPerSend.toFixed(2)}`,
      `at ${fraction}: ack p99 ${steady.latency.ack.p99} ms (target ≤ 100: ${verdict(steady.latency.ack.p99 <= 100)}); delivered p50 ${steady.latency.delivered.p50} p99 ${steady.latency.delivered.p99} ms (targets ≤ 15 / ≤ 75: ${verdict(steady.latency.delivered.p50 <= 15 && steady.latency.delivered.p99 <= 75)})`,
      `load average ${loadAverage()}; logs in ${outDir}`,
    ].join('\n'),
  );
} finally {
  redis.disconnect();
}
