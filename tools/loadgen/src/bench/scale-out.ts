/**
 * Scale out: BENCH_GATEWAYS [2] gateways, each room's members all on one of
 * them, so every instance serves its own rooms and only fetches the
 * others'. After the run, each instance's own counters (/metrics): records
 * of the messages topic consumed, of them decoded (a room with a socket
 * here) and held raw (no socket here), receipts skipped, and messages
 * delivered to its sockets. Target (issue: capacity): a foreign record costs
 * an instance ≤ 10 µs (measured per outcome by `bench:delivery`); here, that
 * an instance decodes only its own rooms' records and delivers them all.
 *
 * BENCH_DELIVERY_MODE=room-feeds runs the gateways in that mode (with the
 * persistence worker, whose recent cache and store a feed's first catch-up
 * reads): each record is then fetched once, by its partition's owner, and
 * an instance is fed only its own rooms' records.
 */
import { join } from 'node:path';
import { OPS_PATHS } from '@chat/runtime';
import { DEFAULT_REPORTS_DIR } from '../cli/summary.js';
import { startPlatform } from '../platform/platform.js';
import { writeReport } from '../report/write.js';
import { runLoad } from '../run-load.js';
import { processCpuMicros } from './process-cpu.js';
import { sumOfMetric } from './prometheus.js';
import { benchGatewayEnv, benchSettings, loadAverage, loadOf, verdict } from './settings.js';

const settings = benchSettings({
  rate: 1_000,
  durationSeconds: 20,
  warmUpSeconds: 5,
  users: 100,
  rooms: 200,
  members: 2,
  messageBytes: 200,
});
const gateways = Math.max(2, settings.gateways);
const feeds = settings.delivery === 'room-feeds';
// Room feeds read the recent cache and the store on a room's first catch-up; BENCH_PERSISTENCE=0|1 overrides.
const persistence = process.env.BENCH_PERSISTENCE ? process.env.BENCH_PERSISTENCE === '1' : feeds;
const outDir = join(DEFAULT_REPORTS_DIR, `bench-scale-out-${new Date().toISOString().replace(/[:.]/g, '-')}`);
console.log(
  `scale-out benchmark; load average ${loadAverage()}; ${JSON.stringify({ ...settings, gateways, persistence })}`,
);

const platform = await startPlatform({
  logDir: join(outDir, 'logs'),
  gatewayEnv: benchGatewayEnv(settings),
  gateways,
  persistence,
});
const pids = platform.launched.instances
  .filter(({ service }) => service === 'chat')
  .map(({ child }) => child.pid);
try {
  const cpuBefore = pids.map(processCpuMicros);
  const report = await runLoad({
    gatewayUrls: platform.gatewayUrls,
    roomApiUrl: platform.roomApiUrl,
    ...loadOf(settings),
    roomsOnOneGateway: true,
  });
  const cpuAfter = pids.map(processCpuMicros);
  await writeReport(report, outDir);
  const rows = await Promise.all(
    platform.gatewayUrls.map(async (url, i) => {
      const exposition = await (await fetch(`${url}${OPS_PATHS.metrics}`)).text();
      const records = (topic: string, outcome: string) =>
        sumOfMetric(exposition, 'chat_delivery_records_total', `outcome="${outcome}"`, `${topic}.v1"`);
      const decoded = records('messages', 'decoded');
      const held = records('messages', 'held');
      const skipped = records('receipts', 'skipped');
      const delivered = sumOfMetric(exposition, 'chat_delivery_seconds_count');
      const published = sumOfMetric(
        exposition,
        'chat_delivery_feed_published_total',
        `topic="`,
        `messages.v1"`,
      );
      const before = cpuBefore[i];
      const after = cpuAfter[i];
      const cpuSeconds = before === undefined || after === undefined ? undefined : (after - before) / 1e6;
      return {
        instance: i + 1,
        consumed: decoded + held,
        decoded,
        held,
        skipped,
        published,
        delivered,
        cpuSeconds,
      };
    }),
  );
  const acked = report.account.acked;
  const clean = report.account.missingDelivered === 0 && report.account.duplicatesShown === 0;
  const decodedAll = rows.reduce((sum, row) => sum + row.decoded, 0);
  const publishedAll = rows.reduce((sum, row) => sum + row.published, 0);
  console.log(
    [
      '',
      '| instance | messages consumed | decoded (own rooms) | held (others) | receipts skipped | published as owner | delivered to its sockets | CPU s over the run |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (row) =>
          `| ${row.instance} | ${row.consumed} | ${row.decoded} | ${row.held} | ${row.skipped} | ${row.published} | ${row.delivered} | ${row.cpuSeconds?.toFixed(1) ?? 'n/a'} |`,
      ),
      '',
      `acked ${acked}; each message decoded once platform-wide: ${decodedAll} decoded for ${acked} acked (${verdict(decodedAll === acked)}); ` +
        (feeds
          ? `each record published once by its partition's owner: ${publishedAll} published (${verdict(publishedAll >= acked)}); every instance fed only its own rooms: ${verdict(rows.every((row) => row.consumed === row.decoded))}`
          : `every instance consumed every record: ${verdict(rows.every((row) => row.consumed >= acked))}`),
      `accepted ${report.acceptedPerSecond} of ${report.offeredPerSecond} msg/s; ack p99 ${report.latency.ack.p99} ms; delivered p50 ${report.latency.delivered.p50} p99 ${report.latency.delivered.p99} ms`,
      `account ${JSON.stringify(report.account)} (zero loss: ${verdict(clean)})`,
      `load average ${loadAverage()}; report in ${outDir}`,
    ].join('\n'),
  );
} finally {
  await platform.stop();
}
