import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { freePort } from '@chat/testkit';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  kafkaClasspath,
  newKafkaClusterId,
  prepareKafkaNode,
  type ScramListener,
} from './servers/kafka-node.js';
import { probeKafka } from './servers/kafka-probe.js';
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

/** Owned by the test kit; re-exported because the launcher's callers import it from here. */
export { freePort };

async function portAnswers(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

interface Readiness {
  /** Resolves true once the server answers. */
  answers: () => Promise<boolean>;
  timeoutMs: number;
}

function privateServer(
  url: string,
  port: number,
  dir: string,
  launch: () => ChildProcess,
  readiness: Readiness = { answers: () => portAnswers(port), timeoutMs: 20_000 },
): PrivateServer {
  let child: ChildProcess | undefined;
  const server: PrivateServer = {
    url,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async start() {
      const started = launch();
      child = started;
      const deadline = Date.now() + readiness.timeoutMs;
      while (!(await readiness.answers())) {
        if (started.exitCode !== null) throw new Error(`private server for ${url} exited while starting`);
        if (Date.now() > deadline) throw new Error(`private server for ${url} did not start`);
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

export interface PrivateKafkaOptions {
  /** The broker's own port. @defaultValue a free port */
  port?: number;
  /**
   * The port the broker tells clients to use. Kafka clients connect to the
   * advertised address after their first metadata request, so a fault proxy
   * listening here (and forwarding to `port`) sits in every connection.
   * `url` then names this port, and the proxy must exist before `start`.
   * @defaultValue port
   */
  advertisedPort?: number;
  /**
   * Users of a second listener that takes SASL/SCRAM-SHA-512 only; its
   * `host:port` is the server's `scramUrl`. @defaultValue no such listener
   */
  scramUsers?: ScramListener['users'];
}

export interface PrivateKafka extends PrivateServer {
  /** The SASL/SCRAM listener's bootstrap address, when `scramUsers` were given. */
  scramUrl?: string;
}

/**
 * A private single-node KRaft broker configured like the shared one (topic
 * auto-creation off, no initial rebalance delay). `url` is its bootstrap
 * broker list; `stop` is a SIGKILL, so not even a graceful shutdown, and
 * `start` brings it back with the same data and cluster id.
 */
export async function startPrivateKafka(options: PrivateKafkaOptions = {}): Promise<PrivateKafka> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'private-kafka-'));
  const scram = options.scramUsers ? { port: await freePort(), users: options.scramUsers } : undefined;
  const node = {
    dir,
    nodeId: 1,
    port,
    controllerPort: await freePort(),
    advertisedPort: options.advertisedPort,
    replicationFactor: 1,
    minInsyncReplicas: 1,
    heapMb: 512,
    ...(scram ? { scram } : {}),
  };
  const quiet = () => undefined;
  const classpath = await kafkaClasspath(quiet);
  const javaArgs = await prepareKafkaNode(
    { ...node, quorumVoters: `1@127.0.0.1:${node.controllerPort}` },
    classpath,
    newKafkaClusterId(),
    quiet,
  );
  const brokers = [`127.0.0.1:${options.advertisedPort ?? port}`];
  const launch = () => {
    const log = openSync(join(dir, 'kafka.log'), 'a');
    const child = spawn('java', javaArgs, { cwd: dir, stdio: ['ignore', log, log] });
    closeSync(log);
    return child;
  };
  const answers = () =>
    probeKafka(brokers).then(
      () => true,
      () => false,
    );
  const server: PrivateKafka = privateServer(brokers.join(','), port, dir, launch, {
    answers,
    timeoutMs: 90_000,
  });
  if (scram) server.scramUrl = `127.0.0.1:${scram.port}`;
  await server.start();
  return server;
}
