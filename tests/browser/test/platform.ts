import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebPageIfStale, launchPlatform, type Platform } from '@chat/infra/platform';
import { PERSISTENCE_ENV } from '@chat/service-env';
import { uniqueName } from '@chat/testkit';

export const REPORTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.reports');

/**
 * The three services as child processes on free ports, as `bin/start` runs
 * them, against the shared Kafka, MongoDB and Redis but in a namespace of
 * their own (topics, consumer groups, database and backup key), and users
 * and rooms are new per run.
 */
export class TestPlatform {
  readonly id = uniqueName('web');
  chatUrl = '';
  private platform: Platform | undefined;

  async start(): Promise<void> {
    await buildWebPageIfStale();
    this.platform = await launchPlatform({
      namespace: this.id,
      logDir: join(REPORTS_DIR, 'logs', this.id),
      env: { NODE_ENV: 'development' },
      services: {
        chat: {},
        room: {},
        persistence: { env: { [PERSISTENCE_ENV.flushIntervalMs.name]: '50' } },
      },
    });
    this.chatUrl = this.platform.urlsOf('chat')[0]!;
  }

  async stop(): Promise<void> {
    await this.platform?.dispose();
  }
}
