import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { aptInstall } from '../apt.js';
import { InfraError } from '../errors.js';
import { stateDirOf } from '../paths.js';
import { start } from '../processes.js';
import { which } from '../shell.js';
import type { LocalServer } from './server.js';

/**
 * Append-only file with fsync every second, no snapshots: the backup queue
 * and idempotency keys survive a restart. Logs go to stdout (the log file).
 */
export function redisArgs(port: number, dir: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--logfile',
    '',
  ];
}

export function redisServer(url: string, external: boolean): LocalServer {
  const dir = stateDirOf('redis');
  const port = Number(new URL(url).port || 6379);
  const proc = { pidFile: join(dir, 'redis.pid'), logFile: join(dir, 'redis.log'), cwd: dir };
  return {
    name: 'redis',
    address: url,
    external,
    envVariable: 'REDIS_URL',
    ports: [port],
    process: proc,
    startTimeoutSeconds: 20,
    async install(progress) {
      if (which('redis-server')) return;
      progress("installing Debian's redis-server with apt (first run only)");
      try {
        await aptInstall(['redis-server']);
      } catch (error) {
        throw new InfraError(
          'INSTALL_FAILED',
          `could not install redis-server with apt: ${(error as Error).message}`,
        );
      }
    },
    spawn() {
      mkdirSync(dir, { recursive: true });
      start(proc, 'redis-server', redisArgs(port, dir));
    },
    async probe() {
      const client = new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        connectTimeout: 2000,
      });
      client.on('error', () => undefined); // the failed connect below carries the reason
      try {
        await client.connect();
        if ((await client.ping()) !== 'PONG') throw new Error('PING did not answer PONG');
      } finally {
        client.disconnect();
      }
    },
  };
}
