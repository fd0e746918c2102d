import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { endpointsFromEnv, type Endpoints } from '@chat/runtime';
import type { ServiceName } from '@chat/service-env';
import { freePort } from '../private-servers.js';
import { ensurePlatformTopics } from '../topics.js';
import { environmentOf, namespacedMongoUrl, type PlannedInstance } from './environment.js';
import { dropNamespace } from './namespace-data.js';
import { PLATFORM_SERVICES, type PlatformService, type ServiceSpec } from './services.js';
import {
  startService,
  stopAll,
  supervise,
  waitUntilReady,
  type RestartPolicy,
  type RunningService,
  type Supervisor,
} from './supervisor.js';

export interface ServiceOptions {
  /** Instances of the service; more than one are named `<service>-1`, `<service>-2`, ... @defaultValue 1 */
  replicas?: number;
  /** Extra environment of each instance, over what the launcher sets. @defaultValue none */
  env?: Record<string, string>;
  /** Node flags of each instance (e.g. `--cpu-prof`). @defaultValue none */
  nodeArgs?: string[];
  /** The first instance's port, the next ones' after it, when a caller must know it before the start. @defaultValue per `LaunchOptions.ports` */
  port?: number;
}

export interface LaunchOptions {
  /** The services to run, each with its options. @defaultValue every platform service whose folder exists, one each */
  services?: Partial<Record<ServiceName, ServiceOptions>>;
  /**
   * Prefix of the run's topics, consumer groups, MongoDB database and Redis keys, so it
   * shares nothing with anyone on the same servers. @defaultValue none: the default names
   */
  namespace?: string;
  /** `default`: each service's own port (as `bin/start`); `free`: any free port. @defaultValue free */
  ports?: 'default' | 'free';
  /** Where each instance's output goes (`<name>.log`, appended across restarts). */
  logDir: string;
  /** The servers. @defaultValue from the environment (`endpointsFromEnv`) */
  endpoints?: Pick<Endpoints, 'kafkaBrokers' | 'mongoUrl' | 'redisUrl'>;
  /** Extra environment of every service, under each service's own `env`. @defaultValue none */
  env?: Record<string, string>;
  /** The services' LOG_LEVEL. @defaultValue inherited */
  logLevel?: string;
  /** Development sign-in (AUTH_DEV_SIGNIN); off, tokens come only from the identity service. @defaultValue true */
  devSignIn?: boolean;
  /** How long each instance may take to answer /readyz at start. @defaultValue 120 */
  readyTimeoutSeconds?: number;
}

/** One running (or stopped) instance; the same port and settings across restarts. */
export interface ServiceHandle {
  readonly name: string;
  readonly service: ServiceName;
  readonly port: number;
  readonly url: string;
  readonly logFile: string;
  /** The current process (a new one after each restart). */
  readonly child: ChildProcess;
  readonly running: boolean;
  /** SIGTERM: the service drains (SIGKILL after the supervisor's grace); resolves once it exited. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash; resolves once it exited. */
  kill(): Promise<void>;
  /** Stops it when running, starts it again and waits until it is ready. */
  restart(timeoutSeconds?: number): Promise<void>;
  /** Resolves once /readyz answers 200; fails with the log tail if the process exits first. */
  ready(timeoutSeconds?: number): Promise<void>;
}

export interface Platform {
  readonly namespace: string | undefined;
  /** The database the services use (the namespace's own when there is one). */
  readonly mongoUrl: string;
  readonly logDir: string;
  /** Every instance, in the platform's service order. */
  readonly instances: readonly ServiceHandle[];
  /** A topic's name in this run: `<namespace>.<name>` with a namespace. */
  topic(name: string): string;
  /** The instance called `name` (`chat`, or `chat-2` with replicas). */
  get(name: string): ServiceHandle;
  /** The base URLs of a service's instances. */
  urlsOf(service: ServiceName): string[];
  stop(): Promise<void>;
  kill(): Promise<void>;
  restart(timeoutSeconds?: number): Promise<void>;
  ready(timeoutSeconds?: number): Promise<void>;
  /**
   * From now on an instance that exits by itself is restarted with backoff
   * and given up after repeated crashes (`bin/start`); `stop()` then ends the
   * supervision first. Not for suites that kill and restart instances on purpose.
   */
  supervise(report: (line: string) => void, policy?: RestartPolicy): void;
  /** Stops every instance, then removes what the namespace created (its topics and database). */
  dispose(): Promise<void>;
}

const HOST = '127.0.0.1';
const urlOf = (port: number) => `http://${HOST}:${port}`;
const present = (service: PlatformService) => existsSync(join(service.dir, 'src', 'main.ts'));

interface Planned extends PlannedInstance {
  name: string;
  platformService: PlatformService;
  options: ServiceOptions;
}

/**
 * Starts services as child processes (so kill -9 is real) against the given
 * servers, creating the platform topics (namespaced with a namespace) first;
 * returns at once, before they are ready (`launchPlatform` waits). Each service's variables come from
 * its table in `@chat/service-env`: the launcher sets its port, address and
 * instance name, the URLs and origins of the other services it runs, and with
 * a namespace every topic, group and key.
 */
export async function startPlatform(options: LaunchOptions): Promise<Platform> {
  const endpoints = options.endpoints ?? endpointsFromEnv();
  const namespace = options.namespace;
  const mongoUrl = namespacedMongoUrl(endpoints.mongoUrl, namespace);
  const topic = (name: string) => (namespace ? `${namespace}.${name}` : name);
  await ensurePlatformTopics(endpoints.kafkaBrokers, topic);

  const chosen = PLATFORM_SERVICES.filter((service) =>
    options.services ? service.name in options.services : present(service),
  );
  const planned: Planned[] = [];
  for (const service of chosen) {
    const serviceOptions = options.services?.[service.name] ?? {};
    const replicas = serviceOptions.replicas ?? 1;
    const defaultPort = Number(Object.values(service.env).find((entry) => entry.role === 'port')?.default);
    const firstPort = serviceOptions.port ?? (options.ports === 'default' ? defaultPort : undefined);
    for (let index = 1; index <= replicas; index += 1) {
      planned.push({
        name: replicas > 1 ? `${service.name}-${index}` : service.name,
        service: service.name,
        platformService: service,
        index,
        port: firstPort === undefined ? await freePort() : firstPort + index - 1,
        options: serviceOptions,
      });
    }
  }
  const environments = environmentOf({
    instances: planned,
    namespace,
    endpoints: { ...endpoints, mongoUrl },
    host: HOST,
    devSignIn: options.devSignIn ?? true,
  });
  const specOf = (instance: Planned, position: number): ServiceSpec => ({
    name: instance.name,
    dir: instance.platformService.dir,
    port: instance.port,
    env: {
      ...environments[position],
      ...(options.logLevel ? { LOG_LEVEL: options.logLevel } : {}),
      ...options.env,
      ...instance.options.env,
    },
    nodeArgs: instance.options.nodeArgs,
  });

  const readyTimeout = options.readyTimeoutSeconds ?? 120;
  const started = planned.map((instance, position) =>
    handleOf(specOf(instance, position), instance.service, options.logDir),
  );
  const instances = started.map(({ handle }) => handle);
  let supervisor: Supervisor | undefined;
  const each = (action: (handle: ServiceHandle) => Promise<void>) =>
    Promise.all(instances.map(action)).then(() => undefined);
  const platform: Platform = {
    namespace,
    mongoUrl,
    logDir: options.logDir,
    instances,
    topic,
    get: (name) =>
      instances.find((handle) => handle.name === name) ??
      (() => {
        throw new RangeError(`no running instance named ${name}`);
      })(),
    urlsOf: (service) => instances.filter((handle) => handle.service === service).map((handle) => handle.url),
    stop: () => (supervisor ? supervisor.stop() : each((handle) => handle.stop())),
    kill: () => each((handle) => handle.kill()),
    restart: (timeoutSeconds = readyTimeout) => each((handle) => handle.restart(timeoutSeconds)),
    ready: (timeoutSeconds = readyTimeout) => each((handle) => handle.ready(timeoutSeconds)),
    supervise(report, policy) {
      supervisor = supervise(
        started.map(({ process }) => process),
        options.logDir,
        report,
        policy,
      );
    },
    async dispose() {
      await platform.stop();
      if (namespace) await dropNamespace(endpoints.kafkaBrokers, namespace, mongoUrl);
    },
  };
  return platform;
}

/** `startPlatform`, then waits until every instance is ready; on failure stops them and removes the namespace's data. */
export async function launchPlatform(options: LaunchOptions): Promise<Platform> {
  const platform = await startPlatform(options);
  try {
    await platform.ready();
  } catch (error) {
    await platform.dispose();
    throw error;
  }
  return platform;
}

const alive = ({ child }: RunningService) => child.exitCode === null && child.signalCode === null;

/** The handle, and the one record of its process that a restart (the handle's or the supervisor's) updates. */
function handleOf(
  spec: ServiceSpec,
  service: ServiceName,
  logDir: string,
): { handle: ServiceHandle; process: RunningService } {
  const current = startService(spec, logDir);
  const exited = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (!alive(current)) return resolve();
      current.child.once('exit', () => resolve());
      current.child.kill(signal);
    });
  const handle: ServiceHandle = {
    name: spec.name,
    service,
    port: spec.port,
    url: urlOf(spec.port),
    logFile: current.logFile,
    get child() {
      return current.child;
    },
    get running() {
      return alive(current);
    },
    stop: () => stopAll([current]),
    kill: () => exited('SIGKILL'),
    async restart(timeoutSeconds) {
      await handle.stop();
      current.child = startService(spec, logDir).child;
      await handle.ready(timeoutSeconds);
    },
    ready: (timeoutSeconds) => waitUntilReady(current, timeoutSeconds),
  };
  return { handle, process: current };
}
