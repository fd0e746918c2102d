import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ferretdbBinary } from './servers/mongo.js';
import { redisArgs } from './servers/redis.js';
import { which } from './shell.js';

/**
 * A throwaway server for one fault test: its own port and data, so a test can
 * stop, freeze or kill it without touching the shared local infrastructure.
 */
export interface PrivateServer {
  url: string;
  /** SIGSTOP: the server holds connections but answers nothing (a hung database). */
  freeze(): void;
  thaw(): void;
  /** Stops the process; `start()` brings it back on the same port with the same data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and deletes its data. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function portAnswers(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function privateServer(url: string, port: number, dir: string, launch: () => ChildProcess): PrivateServer {
  let child: ChildProcess | undefined;
  const server: PrivateServer = {
    url,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async start() {
      child = launch();
      for (let waited = 0; !(await portAnswers(port)); waited += 50) {
        if (waited > 20_000) throw new Error(`private server on port ${port} did not start`);
        await sleep(50);
      }
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      running.kill('SIGCONT');
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
      child = undefined;
    },
    async dispose() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A private MongoDB-wire server: `mongod` if installed, else the FerretDB binary the launcher built. */
export async function startPrivateMongo(): Promise<PrivateServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'private-mongo-'));
  const mongod = which('mongod');
  const launch = () =>
    mongod
      ? spawn(mongod, ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], {
          stdio: 'ignore',
        })
      : spawn(
          ferretdbBinary(),
          [
            '--handler=sqlite',
            `--sqlite-url=file:${dir}/`,
            `--state-dir=${dir}`,
            `--listen-addr=127.0.0.1:${port}`,
            '--debug-addr=-',
            '--telemetry=disable',
            '--log-level=error',
          ],
          { stdio: 'ignore' },
        );
  const server = privateServer(`mongodb://127.0.0.1:${port}/private`, port, dir, launch);
  await server.start();
  return server;
}

/** A private Redis configured like the local one, so a stop and start keeps its data. */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'private-redis-'));
  const launch = () => spawn('redis-server', redisArgs(port, dir), { stdio: 'ignore' });
  const server = privateServer(`redis://127.0.0.1:${port}`, port, dir, launch);
  await server.start();
  return server;
}
