/**
 * End to end in one run, at the same offered load and the same users, rooms and members:
 *   platform — gateway → Kafka → delivery and persistence worker → MongoDB;
 *   naive    — one Socket.IO process broadcasting and saving each message with a mongoose `create`.
 * Then the platform again at half of the highest rate it accepted, for the latency targets.
 * Targets: platform ≥ 3 × naive throughput with a lower p99; at half of max send→delivered p50 ≤ 15 ms, p99 ≤ 75 ms.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService, stopAll, waitUntilReady } from '@chat/infra/platform';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import getPort from 'get-port';
import mongoose from 'mongoose';
import { DEFAULT_REPORTS_DIR } from '../cli/summary.js';
import { startPlatform } from '../platform/platform.js';
import type { LoadReport } from '../report/report.js';
import { writeReport } from '../report/write.js';
import { runLoad } from '../run-load.js';
import { benchGatewayEnv, benchSettings, loadAverage, loadOf, verdict } from './settings.js';

const LOADGEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../..');
const settings = benchSettings({
  rate: 2_000,
  durationSeconds: 20,
  warmUpSeconds: 5,
  users: 100,
  rooms: 50,
  members: 4,
  messageBytes: 200,
});
const outDir = join(DEFAULT_REPORTS_DIR, `bench-e2e-${new Date().toISOString().replace(/[:.]/g, '-')}`);
console.log(`end-to-end benchmark; load average ${loadAverage()}; ${JSON.stringify(settings)}`);

const load = (
  { gatewayUrls, roomApiUrl, mongoUrl }: { gatewayUrls: string[]; roomApiUrl: string; mongoUrl: string },
  rate: number,
) =>
  runLoad({
    gatewayUrls,
    roomApiUrl,
    mongoUrl,
    ...loadOf(settings, rate),
  });

/** The naive baseline as its own process on its own database, like the gateway. */
async function naiveRun(rate: number): Promise<LoadReport> {
  const mongo = new URL(endpointsFromEnv().mongoUrl);
  mongo.pathname = `/${uniqueName('lg_naive').replace(/-/g, '_')}`;
  const port = await getPort();
  const naive = startService(
    {
      name: 'naive',
      dir: LOADGEN_DIR,
      port,
      script: 'src/baselines/naive-main.ts',
      env: { PORT: String(port), MONGODB_URL: mongo.toString(), LOG_LEVEL: 'warn' },
    },
    join(outDir, 'logs'),
  );
  try {
    await waitUntilReady(naive);
    const url = `http://127.0.0.1:${port}`;
    return await load({ gatewayUrls: [url], roomApiUrl: url, mongoUrl: mongo.toString() }, rate);
  } finally {
    await stopAll([naive]);
    const connection = await mongoose.createConnection(mongo.toString()).asPromise();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

const line = (name: string, report: LoadReport) => {
  const { delivered, ack } = report.latency;
  const { account } = report;
  return `| ${name} | ${report.offeredPerSecond} | ${report.acceptedPerSecond} | ${ack.p99} | ${delivered.p50} | ${delivered.p99} | ${report.latency.persisted.p99} | ${account.missingDelivered + account.missingPersisted} | ${account.duplicatesShown + account.duplicatesStored} |`;
};

const platform = await startPlatform({
  logDir: join(outDir, 'logs'),
  gatewayEnv: benchGatewayEnv(settings),
  gateways: settings.gateways,
  gatewayNodeArgs: settings.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`] : [],
});
let full: LoadReport;
let half: LoadReport;
try {
  full = await load(platform, settings.rate);
  await writeReport(full, join(outDir, 'platform'));
  console.log(`platform at ${settings.rate} msg/s done; load average ${loadAverage()}`);
  half = await load(platform, Math.max(1, Math.round(full.acceptedPerSecond / 2)));
  await writeReport(half, join(outDir, 'platform-half'));
  console.log(`platform at half done; load average ${loadAverage()}`);
} finally {
  await platform.stop();
}
const naive = await naiveRun(settings.rate);
console.log(`naive done; load average ${loadAverage()}`);
await writeReport(naive, join(outDir, 'naive'));

const throughputRatio = full.acceptedPerSecond / Math.max(1, naive.acceptedPerSecond);
console.log(
  [
    '',
    '| run | offered msg/s | accepted msg/s | ack p99 | delivered p50 | delivered p99 | persisted p99 | missing | duplicates |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    line('platform', full),
    line('naive (Socket.IO + mongoose create)', naive),
    line('platform at half of max', half),
    '',
    `throughput platform/naive ${throughputRatio.toFixed(2)} (target ≥ 3: ${verdict(throughputRatio >= 3)})`,
    `delivered p99 platform ${full.latency.delivered.p99} vs naive ${naive.latency.delivered.p99} ms (target lower: ${verdict(full.latency.delivered.p99 < naive.latency.delivered.p99)})`,
    `at half (${half.offeredPerSecond} msg/s): delivered p50 ${half.latency.delivered.p50} (target ≤ 15: ${verdict(half.latency.delivered.p50 <= 15)}), p99 ${half.latency.delivered.p99} ms (target ≤ 75: ${verdict(half.latency.delivered.p99 <= 75)})`,
    `errors platform ${JSON.stringify(full.errors)} naive ${JSON.stringify(naive.errors)} half ${JSON.stringify(half.errors)}`,
    `scheduler lag p99: platform ${full.schedulerLag?.p99} naive ${naive.schedulerLag?.p99} half ${half.schedulerLag?.p99} ms`,
    `load average ${loadAverage()}; reports in ${outDir}`,
  ].join('\n'),
);
