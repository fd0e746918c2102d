import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '@chat/runtime';
import { clusterNodes } from './cluster/cluster.js';
import { clusterCommand } from './cluster/command.js';
import { InfraError } from './errors.js';
import { down, platformServers, status, stopServers, up } from './launcher.js';
import { STATE_DIR } from './paths.js';
import { DEMO_ROOM_NAME, DEMO_USERS, seedDemo } from './platform/seed.js';
import { startPlatform } from './platform/launcher.js';
import { buildWebPageIfStale } from './platform/web-page.js';
import { printStatus } from './status-report.js';

const report = (server: string, message: string) => console.log(`[${server}] ${message}`);

const program = new Command('infra').description(
  'Real Kafka (KRaft), a MongoDB-wire server and Redis on loopback for the chat platform. ' +
    'KAFKA_BROKERS, MONGODB_URL and REDIS_URL point it at external servers instead.',
);

program
  .command('up')
  .description('install what is missing, start every server, wait until each answers, create the topics')
  .action(async () => {
    const started = Date.now();
    const servers = await up(report);
    console.log(`\ninfrastructure ready in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
    for (const server of servers) {
      console.log(
        `  ${server.name.padEnd(6)} ${server.address}${server.external ? '  (external)' : `  log: ${server.process.logFile}`}`,
      );
    }
  });

program
  .command('platform')
  .description('run every service as its own process in the foreground; Ctrl-C stops them all')
  .option('--seed', 'create demo users, a demo room and some history (idempotent)')
  .action(async (options: { seed?: boolean }) => {
    if (await buildWebPageIfStale()) console.log('built the web page (services/chat/web/dist)');
    // Signals before the processes exist just end this one; after, every service drains first.
    const platform = await startPlatform({ logDir: join(STATE_DIR, '..', 'logs'), ports: 'default' });
    const stop = async () => {
      console.log('\nstopping services (they drain first) ...');
      await platform.stop();
      console.log('stopped.');
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
    try {
      await platform.ready();
    } catch (error) {
      await platform.stop();
      throw error;
    }
    // From here on a crashed service is restarted with backoff, and given up after repeated crashes.
    platform.supervise((line) => console.error(line));
    const [chatUrl] = platform.urlsOf('chat');
    const [roomApiUrl] = platform.urlsOf('room');
    if (options.seed) {
      // A failed seed leaves a running platform without demo data: say so and keep running.
      await seedDemo({ chatUrl: chatUrl!, roomApiUrl: roomApiUrl! }).then(
        ({ sent }) =>
          console.log(
            `\nseeded "${DEMO_ROOM_NAME}" (${sent} new messages); sign in as ${DEMO_USERS.map((u) => u.name).join(', ')}`,
          ),
        (error: Error) => console.error(`\n${error.message}`),
      );
    }
    console.log('\nplatform ready:');
    for (const { name, url, logFile } of platform.instances) {
      console.log(`  ${name.padEnd(12)} ${url}  log: ${logFile}`);
      if (url === chatUrl) console.log(`\n  open the chat page: ${chatUrl}\n`);
    }
    console.log('\nCtrl-C stops every service; `pnpm infra down` stops the servers.');
  });

program
  .command('down')
  .description('stop the servers this launcher started')
  .option('--reset', 'also delete their data (topics, collections, keys)')
  .action(async (options: { reset?: boolean }) => {
    await down(report);
    // The cluster's state lives under the same directory: never delete it under running nodes.
    if (options.reset) await stopServers(clusterNodes(), report);
    if (options.reset && existsSync(STATE_DIR)) {
      rmSync(STATE_DIR, { recursive: true, force: true });
      console.log(`deleted ${STATE_DIR}`);
    }
  });

program
  .command('status')
  .description('show what runs where and whether it answers (exit code 1 when something does not)')
  .action(async () => {
    printStatus(await status());
  });

program.addCommand(clusterCommand(report));

program
  .command('logs')
  .description('print the last lines of a server log')
  .argument('[server]', 'kafka, mongo or redis (default: all)')
  .option('-f, --follow', 'keep printing new lines')
  .option('-n, --lines <count>', 'how many lines', '40')
  .action((name: string | undefined, options: { follow?: boolean; lines: string }) => {
    const files = platformServers()
      .filter((server) => !server.external && (name === undefined || server.name === name))
      .map((server) => server.process.logFile)
      .filter((file) => existsSync(file));
    if (files.length === 0)
      throw new InfraError('BAD_ENVIRONMENT', `no local log for ${name ?? 'any server'}: is it started?`);
    const tail = spawn('tail', ['-n', options.lines, ...(options.follow ? ['-F'] : []), ...files], {
      stdio: 'inherit',
    });
    tail.on('exit', (code) => (process.exitCode = code ?? 0));
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof InfraError || error instanceof ConfigError) {
    console.error(`infra: ${error.message}`);
  } else {
    console.error(
      `infra: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
  process.exitCode = 1;
});
