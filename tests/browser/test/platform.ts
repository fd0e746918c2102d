import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebPageIfStale, launchPlatform, type Platform } from '@chat/infra/platform';
import { PERSISTENCE_ENV } from '@chat/service-env';
import { uniqueName } from '@chat/testkit';

export const REPORTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.reports');

/**
 * The four services as child processes on free ports, as `bin/start` runs
 * them, against the shared Kafka, MongoDB and Redis but in a namespace of
 * their own (topics, consumer groups, database and keys), and users and
 * rooms are new per run.
 */
export class TestPlatform {
  readonly id = uniqueName('web');
  chatUrl = '';
  identityUrl = '';
  private platform: Platform | undefined;

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
    this.platform = await launchPlatform({
      namespace: this.id,
      logDir: join(REPORTS_DIR, 'logs', this.id),
      env: { NODE_ENV: 'development' },
      devSignIn: this.options.devSignIn ?? true,
      services: {
        identity: { port: this.options.identityPort, env: this.options.identityEnv },
        chat: { env: this.options.chatEnv },
        room: {},
        persistence: { env: { [PERSISTENCE_ENV.flushIntervalMs.name]: '50' } },
      },
    });
    this.chatUrl = this.platform.urlsOf('chat')[0]!;
    this.identityUrl = this.platform.urlsOf('identity')[0]!;
  }

  async stop(): Promise<void> {
    await this.platform?.dispose();
  }
}
