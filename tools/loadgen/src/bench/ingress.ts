/**
 * Ingress in one run, so machine noise cancels:
 *   gateway — accepted msgs/s through the load generator (many sockets, open model);
 *   raw     — a raw KafkaJS producer with the gateway's settings and batch size, same broker,
 *             same partitions and record size.
 * Prints both, the ratio and the ack latency; the targets are ≥ 0.8 × raw, ≥ 5,000 msg/s, ack p99 ≤ 100 ms.
 */
import { join } from 'node:path';
import { endpointsFromEnv, OPS_PATHS } from '@chat/runtime';
import { DEFAULT_REPORTS_DIR } from '../cli/summary.js';
import { startPlatform } from '../platform/platform.js';
import { writeReport } from '../report/write.js';
import { runLoad } from '../run-load.js';
import { averagePublishBatch } from './prometheus.js';
import { rawProducerRate } from './raw-producer.js';
import { benchGatewayEnv, benchSettings, loadAverage, loadOf, verdict } from './settings.js';

const PARTITIONS = 6;
const RAW_FALLBACK_BATCH = 100;
/** Enough records for a steady raw rate even when the gateway accepted few. */
const RAW_MIN_MESSAGES = 5_000;
const settings = benchSettings({
  rate: 3_000,
  durationSeconds: 20,
  warmUpSeconds: 5,
  users: 100,
  rooms: 200,
  members: 2,
  messageBytes: 200,
});
const outDir = join(DEFAULT_REPORTS_DIR, `bench-ingress-${new Date().toISOString().replace(/[:.]/g, '-')}`);
console.log(`ingress benchmark; load average ${loadAverage()}; ${JSON.stringify(settings)}`);

const platform = await startPlatform({
  logDir: join(outDir, 'logs'),
  gatewayEnv: benchGatewayEnv(settings),
  gateways: settings.gateways,
  gatewayNodeArgs: settings.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`] : [],
  persistence: false,
});
try {
  const report = await runLoad({
    gatewayUrls: platform.gatewayUrls,
    roomApiUrl: platform.roomApiUrl,
    ...loadOf(settings),
  });
  // The gateway's own batch size, from its publisher's metrics; when they cannot be read, the raw
  // producer runs at one message per request (the floor) and at RAW_FALLBACK_BATCH (what batching can reach).
  const metrics = await fetch(`${platform.gatewayUrls[0]}${OPS_PATHS.metrics}`);
  const observed = metrics.ok ? averagePublishBatch(await metrics.text()) : 0;
  const batchSizes = observed > 0 ? [observed] : [1, RAW_FALLBACK_BATCH];
  console.log(
    `gateway done; load average ${loadAverage()}; average publish batch ${observed > 0 ? observed.toFixed(1) : `unknown (/metrics answered ${metrics.status})`}`,
  );
  const raws: [number, number][] = [];
  for (const batchSize of batchSizes) {
    const rate = await rawProducerRate({
      brokers: endpointsFromEnv().kafkaBrokers,
      partitions: PARTITIONS,
      rooms: settings.rooms,
      messageBytes: settings.messageBytes,
      count: Math.max(report.account.acked, RAW_MIN_MESSAGES),
      batchSize,
    });
    raws.push([batchSize, rate]);
  }
  const [, raw] = raws[0]!;
  const ratio = report.acceptedPerSecond / raw;
  const { ack } = report.latency;
  await writeReport(report, outDir);
  console.log(
    [
      '',
      `| | msgs/s |`,
      `| --- | ---: |`,
      `| offered | ${report.offeredPerSecond} |`,
      `| gateway accepted | ${report.acceptedPerSecond} |`,
      ...raws.map(
        ([batch, rate]) => `| raw KafkaJS producer, batch ${batch.toFixed(1)} | ${Math.round(rate)} |`,
      ),
      '',
      `ratio gateway/raw (batch ${raws[0]![0].toFixed(1)}) ${ratio.toFixed(2)} (target ≥ 0.80: ${verdict(ratio >= 0.8)})`,
      `gateway ${report.acceptedPerSecond} msg/s (target ≥ 5000: ${verdict(report.acceptedPerSecond >= 5000)})`,
      `ack p50 ${ack.p50} p95 ${ack.p95} p99 ${ack.p99} max ${ack.max} ms over ${ack.count} acks (target p99 ≤ 100: ${verdict(ack.count > 0 && ack.p99 <= 100)})`,
      `scheduler lag p99 ${report.schedulerLag?.p99} ms; errors ${JSON.stringify(report.errors)}`,
      `account ${JSON.stringify(report.account)}`,
      `load average ${loadAverage()}; report in ${outDir}`,
    ].join('\n'),
  );
} finally {
  await platform.stop();
}
