import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  IsolatedPlatform,
  PLATFORM_SERVICES,
  buildWebPageIfStale,
  startService,
  stopAll,
  waitUntilReady,
  type RunningService,
  type ServiceSpec,
} from '@chat/infra/platform';
import { freePort } from '@chat/infra/private-servers';
import { uniqueName } from '@chat/testkit';

export const REPORTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.reports');

/**
 * The four services as child processes on free ports, as `bin/start` runs
 * them, against the shared Kafka, MongoDB and Redis but with names of their
 * own: topics, consumer groups, database and backup key all carry one
 * unique prefix, and users and rooms are new per run.
 */
export class TestPlatform {
  readonly id = uniqueName('web');
  private readonly isolated = new IsolatedPlatform(this.id);
  readonly topics = this.isolated.topics;
  readonly mongoUrl = this.isolated.mongoUrl;
  chatUrl = '';
  identityUrl = '';
  private services: RunningService[] = [];

  /** `devSignIn: false` runs the platform as deployed: accounts only, tokens verified by the JWKS. */
  constructor(
    private readonly options: {
      devSignIn?: boolean;
      identityEnv?: Record<string, string>;
      chatEnv?: Record<string, string>;
      /** Fixed when a test must know it before start (an OpenID provider's redirect URL). @defaultValue a free port */
      identityPort?: number;
    } = {},
  ) {}

  async start(): Promise<void> {
    await buildWebPageIfStale();
    await this.isolated.createTopics();

    const ports = {
      chat: await freePort(),
      room: await freePort(),
      persistence: await freePort(),
      identity: this.options.identityPort ?? (await freePort()),
    };
    this.chatUrl = `http://127.0.0.1:${ports.chat}`;
    this.identityUrl = `http://127.0.0.1:${ports.identity}`;
    const base = this.isolated.serviceEnv(ports, { devSignIn: this.options.devSignIn ?? true });
    const env: Record<string, Record<string, string>> = {
      ...base,
      identity: { ...base.identity, ...this.options.identityEnv },
      chat: { ...base.chat, ...this.options.chatEnv },
    };
    const logDir = join(REPORTS_DIR, 'logs', this.id);
    mkdirSync(logDir, { recursive: true });
    this.services = PLATFORM_SERVICES.map((spec): ServiceSpec => ({
      ...spec,
      port: ports[spec.name as keyof typeof ports],
      env: env[spec.name] ?? {},
    })).map((spec) => startService(spec, logDir));
    await Promise.all(this.services.map((service) => waitUntilReady(service)));
  }

  async stop(): Promise<void> {
    await stopAll(this.services);
    await this.isolated.dropAll();
  }
}
