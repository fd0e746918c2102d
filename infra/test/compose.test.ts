import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_TOPICS } from '@chat/contracts';
import { OPS_PATHS } from '@chat/runtime';
import { SERVICE_ENV, type EnvTable, type ServiceName } from '@chat/service-env';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMAGE_SERVICES, imageName, platformVersion } from '../src/images/index.js';
import { CONTAINERFILE, imageBuildArgs } from '../src/images/names.js';
import { REPO_ROOT } from '../src/paths.js';
import { envReadBy } from './support/manifests.js';

interface ComposeService {
  image: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string | number> };
  environment?: Record<string, string | number>;
  entrypoint?: string[];
  command?: string[];
  ports?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(REPO_ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const service = (name: string) =>
  compose.services[name] ?? expect.fail(`compose.yaml has no service ${name}`);
/** The variable holding a service's HTTP port, as its environment table declares it. */
const portVariable = (name: ServiceName) =>
  Object.values(SERVICE_ENV[name].env as EnvTable).find((entry) => entry.role === 'port')!.name;
/** identity keeps accounts in MongoDB and throttles and sign-outs in Redis: it never touches Kafka. */
const WITHOUT_KAFKA: readonly string[] = ['identity'];

describe('compose.yaml', () => {
  describe.each(IMAGE_SERVICES)('%s', (name) => {
    const entry = service(name);

    it('runs the image the build produces, built from the root Containerfile as pnpm images builds it', () => {
      expect(entry.image).toBe(`${imageName(name)}:\${CHAT_PLATFORM_TAG:-${platformVersion()}}`);
      const { SERVICE, PORT } = imageBuildArgs(name);
      expect(entry.build?.context).toBe('.');
      expect(entry.build?.dockerfile).toBeUndefined();
      expect(entry.build?.args).toEqual({ SERVICE, PORT: Number(PORT) });
      expect(existsSync(join(REPO_ROOT, 'Containerfile'))).toBe(true);
    });

    it('sets only variables the service reads, and checks readiness on its port', () => {
      const set = Object.keys(entry.environment ?? {});
      expect(set.filter((variable) => !envReadBy(name).includes(variable))).toEqual([]);
      const port = String(entry.environment![portVariable(name)]);
      expect(entry.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${port}${OPS_PATHS.readiness}`);
    });

    it('runs read-only with a tmpfs /tmp, after the servers it uses are up and the topics exist', () => {
      expect(entry.read_only).toBe(true);
      expect(entry.tmpfs).toEqual(['/tmp']);
      expect(entry.depends_on?.mongo).toEqual({ condition: 'service_healthy' });
      expect(entry.depends_on?.['kafka-topics']).toEqual(
        WITHOUT_KAFKA.includes(name) ? undefined : { condition: 'service_completed_successfully' },
      );
    });
  });

  it('creates exactly the platform topics of packages/contracts', () => {
    const specs = String(service('kafka-topics').environment!.PLATFORM_TOPICS).split(/\s+/);
    expect(specs).toEqual(
      PLATFORM_TOPICS.map(
        (topic) =>
          `${topic.name}:${topic.partitions}:${Object.entries(topic.config)
            .map(([key, value]) => `${key}=${value}`)
            .join(',')}`,
      ),
    );
  });

  it('runs one KRaft node whose internal topics fit one replica, with topic auto-creation off', () => {
    expect(service('kafka').image).toMatch(/^apache\/kafka:/);
    expect(service('kafka').environment).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 1,
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: 1,
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: 1,
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    });
    expect(service('mongo').image).toMatch(/^mongo:/);
    expect(service('redis').command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
  });

  it('offers accounts: the page calls the published identity service, chat and room verify by its JWKS', () => {
    const identity = service('identity');
    const port = String(identity.environment!.PORT);
    expect(identity.ports).toEqual([`${port}:${port}`]);
    expect(service('chat').environment!.CHAT_IDENTITY_API_URL).toBe(`http://localhost:${port}`);
    expect(String(identity.environment!.IDENTITY_PAGE_ORIGINS).split(',')).toContain('http://localhost:8080');
    for (const name of ['chat', 'room'])
      expect(service(name).environment!.AUTH_JWKS_URL, name).toBe(
        `http://identity:${port}/.well-known/jwks.json`,
      );
    expect(service('chat').depends_on?.identity).toEqual({ condition: 'service_healthy' });
  });

  it('publishes the page on 8080 with development sign-in, and the room API the page calls', () => {
    const chat = service('chat');
    expect(chat.ports).toEqual(['8080:8080']);
    expect(chat.environment).toMatchObject({ AUTH_DEV_SIGNIN: 'true', NODE_ENV: 'development' });
    const roomPort = String(service('room').environment!.PORT);
    expect(chat.environment!.CHAT_ROOM_API_URL).toBe(`http://localhost:${roomPort}`);
    expect(service('room').ports).toEqual([`${roomPort}:${roomPort}`]);
    expect(String(service('room').environment!.ROOM_CORS_ORIGINS).split(',')).toContain(
      'http://localhost:8080',
    );
  });
});

describe('the Containerfile', () => {
  const text = readFileSync(CONTAINERFILE, 'utf8');

  it('builds on the official Node image by default, runs the bundle as uid 10001 with node as PID 1', () => {
    expect(text).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(text).toMatch(/^USER 10001:10001$/m);
    expect(text).toMatch(/^ENTRYPOINT \["node", "dist\/main\.js"\]$/m);
    expect(text).toContain('cp -r "services/${SERVICE}/dist" /out/dist');
    for (const label of ['source', 'revision', 'version', 'title', 'description']) {
      expect(text).toContain(`org.opencontainers.image.${label}=`);
    }
  });

  it('keeps the build stage free of SERVICE, so the four images share it', () => {
    const buildStage = text.slice(text.indexOf('AS build'), text.indexOf('AS service'));
    expect(buildStage).not.toContain('SERVICE');
  });
});
