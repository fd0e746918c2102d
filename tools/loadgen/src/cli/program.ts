import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { LoadOptions } from '../options/options.js';
import { startPlatform } from '../platform/platform.js';
import { runLoad } from '../run-load.js';
import { isClean } from '../report/report.js';
import { writeReport } from '../report/write.js';
import { progressBar } from './progress-bar.js';
import { DEFAULT_REPORTS_DIR, printSummary } from './summary.js';

const int = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('a whole number is expected');
  return parsed;
};
const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const seconds = (value: string) => {
  const parsed = Number(value);
  if (!(parsed >= 0)) throw new InvalidArgumentError('a number of seconds is expected');
  return parsed;
};
const MS_PER_SECOND = 1000;

interface CliOptions {
  gateway: string[];
  roomApi: string;
  mongoUrl?: string;
  persistedCheck: boolean;
  users: number;
  rooms: number;
  members: number;
  rate: number;
  duration: number;
  warmUp: number;
  settle: number;
  size: number;
  ownPlatform: boolean;
  out?: string;
}

export function loadgenProgram(): Command {
  return new Command('loadgen')
    .description(
      'Offer chat messages at a fixed rate through many Socket.IO users and report rates, latencies and a zero-loss account.\n' +
        'Defaults target the platform that bin/start runs (gateway :8080, rooms :3002, local MongoDB).',
    )
    .option('--gateway <urls>', 'gateway URL(s), comma-separated; users are spread over them', list, [
      'http://127.0.0.1:8080',
    ])
    .option('--room-api <url>', 'room service URL', 'http://127.0.0.1:3002')
    .option(
      '--mongo-url <url>',
      'MongoDB URL with the database persistence writes',
      'mongodb://127.0.0.1:27018/chat',
    )
    .option('--no-persisted-check', 'skip the send→persisted check')
    .option('--users <n>', 'virtual users (one socket each)', int, 100)
    .option('--rooms <n>', 'rooms', int, 50)
    .option('--members <n>', 'members per room', int, 4)
    .option('--rate <n>', 'offered messages per second', Number, 500)
    .option('--duration <s>', 'seconds of offered load', seconds, 30)
    .option('--warm-up <s>', 'first seconds left out of rates and latencies', seconds, 0)
    .option(
      '--settle <s>',
      'seconds to wait for deliveries and persistence after the last send',
      seconds,
      30_000,
    )
    .option('--size <n>', 'message text length', int, 100)
    .option('--own-platform', 'start a private gateway, room service and persistence worker for this run')
    .option('--out <dir>', `report folder (default ${DEFAULT_REPORTS_DIR}/<timestamp>)`)
    .action(async (cli: CliOptions) => {
      const platform = cli.ownPlatform
        ? await startPlatform({ logDir: join(DEFAULT_REPORTS_DIR, 'platform-logs') })
        : undefined;
      const bar = progressBar(cli.duration * MS_PER_SECOND);
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      try {
        const options: LoadOptions = {
          gatewayUrls: platform?.gatewayUrls ?? cli.gateway,
          roomApiUrl: platform?.roomApiUrl ?? cli.roomApi,
          mongoUrl: cli.persistedCheck ? (platform?.mongoUrl ?? cli.mongoUrl) : undefined,
          users: cli.users,
          rooms: cli.rooms,
          membersPerRoom: cli.members,
          ratePerSecond: cli.rate,
          durationMs: cli.duration * MS_PER_SECOND,
          warmUpMs: cli.warmUp * MS_PER_SECOND,
          settleTimeoutMs: cli.settle * MS_PER_SECOND,
          messageBytes: cli.size,
          onProgress: bar.update,
          signal: abort.signal,
        };
        const report = await runLoad(options).finally(bar.stop);
        const dir = cli.out ?? join(DEFAULT_REPORTS_DIR, report.startedAt.replace(/[:.]/g, '-'));
        const summary = await writeReport(report, dir);
        printSummary(report, summary);
        process.exitCode = isClean(report.account, report.changes) ? 0 : 1;
      } finally {
        await platform?.stop();
      }
    });
}
