/**
 * One gateway at a fixed rate for a long run (default 10 minutes at 1,000
 * msg/s), its memory read from its own /metrics each minute: heap used
 * (a sample of V8's sawtooth, so compare trends, not points) and resident
 * set. Prints a row per minute
 * (accepted rate, heap, RSS, CPU µs per message) and the growth over the
 * second half, where a leak shows and warm-up does not. Target (issue:
 * capacity): memory flat over a 10-minute soak at the sustained rate, with
 * the zero-loss account clean.
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

const SAMPLE_EVERY_MS = 60_000;
/** Growth of heap used over the second half above this share is not flat. */
const FLAT_SHARE = 0.1;
const MIB = 1024 * 1024;
const settings = benchSettings({
  rate: 1_000,
  durationSeconds: 600,
  warmUpSeconds: 30,
  users: 100,
  rooms: 200,
  members: 2,
  messageBytes: 200,
});
const outDir = join(DEFAULT_REPORTS_DIR, `bench-soak-${new Date().toISOString().replace(/[:.]/g, '-')}`);
console.log(`soak benchmark; load average ${loadAverage()}; ${JSON.stringify(settings)}`);

interface Sample {
  minute: number;
  acked: number;
  cpuMicros: number | undefined;
  heapMiB: number;
  rssMiB: number;
  load: string;
}

const platform = await startPlatform({
  logDir: join(outDir, 'logs'),
  gatewayEnv: benchGatewayEnv(settings),
  persistence: false,
});
const gatewayPid = platform.launched.instances.find(({ service }) => service === 'chat')?.child.pid;
const metricsUrl = `${platform.gatewayUrls[0]}${OPS_PATHS.metrics}`;
const samples: Sample[] = [];
let sampling: Promise<void> = Promise.resolve();
let nextSampleAt = 0;

async function sample(elapsedMs: number, acked: number): Promise<void> {
  const exposition = await (await fetch(metricsUrl)).text();
  samples.push({
    minute: Math.round(elapsedMs / 60_000),
    acked,
    cpuMicros: processCpuMicros(gatewayPid),
    heapMiB: sumOfMetric(exposition, 'nodejs_heap_size_used_bytes') / MIB,
    rssMiB: sumOfMetric(exposition, 'process_resident_memory_bytes') / MIB,
    load: loadAverage(),
  });
  const last = samples.at(-1)!;
  console.log(
    `minute ${last.minute}: heap ${last.heapMiB.toFixed(1)} MiB, rss ${last.rssMiB.toFixed(1)} MiB`,
  );
}

try {
  const report = await runLoad({
    gatewayUrls: platform.gatewayUrls,
    roomApiUrl: platform.roomApiUrl,
    ...loadOf(settings),
    onProgress: ({ elapsedMs, acked }) => {
      if (elapsedMs < nextSampleAt) return;
      nextSampleAt = elapsedMs + SAMPLE_EVERY_MS;
      sampling = sampling.then(() => sample(elapsedMs, acked)).catch(() => undefined);
    },
  });
  await sampling;
  await writeReport(report, outDir);
  const rows = samples.slice(1).map((now, i) => {
    const before = samples[i]!;
    const acked = now.acked - before.acked;
    const minutes = now.minute - before.minute || 1;
    const cpu =
      now.cpuMicros === undefined || before.cpuMicros === undefined || acked === 0
        ? 'n/a'
        : ((now.cpuMicros - before.cpuMicros) / acked).toFixed(0);
    return `| ${now.minute} | ${Math.round(acked / (minutes * 60))} | ${now.heapMiB.toFixed(1)} | ${now.rssMiB.toFixed(1)} | ${cpu} | ${now.load} |`;
  });
  const half = samples[Math.floor(samples.length / 2)];
  const end = samples.at(-1);
  const growth = half && end && half.heapMiB > 0 ? (end.heapMiB - half.heapMiB) / half.heapMiB : NaN;
  const { ack, delivered } = report.latency;
  const clean = report.account.missingDelivered === 0 && report.account.duplicatesShown === 0;
  console.log(
    [
      '',
      '| minute | accepted msg/s | heap used MiB | RSS MiB | gateway µs/msg | load average |',
      '| ---: | ---: | ---: | ---: | ---: | --- |',
      ...rows,
      '',
      `heap used minute ${half?.minute} → ${end?.minute}: ${half?.heapMiB.toFixed(1)} → ${end?.heapMiB.toFixed(1)} MiB, ${(growth * 100).toFixed(1)} % (target flat, ≤ ${FLAT_SHARE * 100} %: ${verdict(growth <= FLAT_SHARE)})`,
      `accepted ${report.acceptedPerSecond} of ${report.offeredPerSecond} msg/s offered; ack p50 ${ack.p50} p99 ${ack.p99} ms; delivered p50 ${delivered.p50} p99 ${delivered.p99} ms`,
      `account ${JSON.stringify(report.account)} (zero loss: ${verdict(clean)})`,
      `load average ${loadAverage()}; report in ${outDir}`,
    ].join('\n'),
  );
} finally {
  await platform.stop();
}
