import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  IMAGE_SERVICES,
  buildImages,
  podman,
  ulimitArgs,
  type BuiltImage,
  type ImageService,
} from '@chat/infra/images';
import { IsolatedPlatform } from '@chat/infra/platform';
import { freePort } from '@chat/infra/private-servers';
import { OPS_PATHS, createLogger } from '@chat/runtime';
import { IDENTITY_ENV } from '@chat/service-env';
import { uniqueName, waitFor } from '@chat/testkit';

const REPORTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.reports');
const logger = createLogger('container-tests', process.env.TEST_LOG_LEVEL ?? 'silent');

/** How long `podman stop` waits after SIGTERM before it kills: well above every drain timeout set below. */
const STOP_TIMEOUT_SECONDS = 40;
/** Where the identity container finds its signing keys, as the Kubernetes Secret is mounted. */
const KEYS_MOUNT = '/run/secrets/identity';

/** A one-key JWK set (ES256) written to a fresh folder the container's uid 10001 can read. */
function signingKeysDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'identity-keys-'));
  chmodSync(dir, 0o755);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'container-test', alg: 'ES256' };
  writeFileSync(join(dir, 'signing-keys.json'), JSON.stringify({ keys: [jwk] }), { mode: 0o644 });
  return dir;
}

/**
 * The images as containers on the host network, against the shared Kafka, MongoDB and Redis
 * with names of their own (topics, groups, database, backup key: one unique prefix), each on a
 * free port, locked down as Kubernetes runs them: read-only root, /tmp a tmpfs, no capabilities.
 * The identity service runs as deployed (production, keys from a mounted file); the gateway and the
 * room service verify its tokens by its JWKS and keep the development sign-in besides.
 */
export class ContainerPlatform {
  readonly id = uniqueName('images');
  private readonly isolated = new IsolatedPlatform(this.id);
  readonly mongoUrl = this.isolated.mongoUrl;
  readonly urls = {} as Record<ImageService, string>;
  built: BuiltImage[] = [];
  private started: string[] = [];
  private readonly keysDir = signingKeysDir();

  containerOf(service: ImageService): string {
    return `${this.id}-${service}`;
  }

  async build(): Promise<void> {
    this.built = await buildImages((message) => logger.info(message));
  }

  async start(): Promise<void> {
    await this.isolated.createTopics();
    const ports = {
      chat: await freePort(),
      room: await freePort(),
      persistence: await freePort(),
      identity: await freePort(),
    };
    for (const service of IMAGE_SERVICES) this.urls[service] = `http://127.0.0.1:${ports[service]}`;
    const env: Record<ImageService, Record<string, string>> = {
      ...this.isolated.serviceEnv(ports),
      identity: {
        ...this.isolated.serviceEnv(ports).identity!,
        NODE_ENV: 'production',
        [IDENTITY_ENV.signingKeysFile.name]: `${KEYS_MOUNT}/signing-keys.json`,
      },
    };
    const mounts: Partial<Record<ImageService, string[]>> = {
      identity: ['--volume', `${this.keysDir}:${KEYS_MOUNT}:ro`],
    };
    const limits = await ulimitArgs();
    for (const service of IMAGE_SERVICES) {
      const name = this.containerOf(service);
      await podman([
        'run',
        '--detach',
        '--name',
        name,
        '--network',
        'host',
        '--read-only',
        '--tmpfs',
        '/tmp',
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges',
        ...limits,
        ...(mounts[service] ?? []),
        ...Object.entries({ ...env[service], LOG_LEVEL: 'info' }).flatMap(([key, value]) => [
          '--env',
          `${key}=${value}`,
        ]),
        this.built.find((image) => image.service === service)!.references[0]!,
      ]);
      this.started.push(name);
    }
  }

  /** Waits until the service's readiness endpoint answers 200; fails early when its container exited. */
  async waitUntilReady(service: ImageService): Promise<void> {
    await waitFor(
      `${service} container ready`,
      async () => {
        const state = await this.state(service);
        if (state.status === 'exited')
          throw new Error(`the ${service} container exited with ${state.exitCode}`);
        const response = await fetch(`${this.urls[service]}${OPS_PATHS.readiness}`).catch(() => undefined);
        return response?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  }

  async state(service: ImageService): Promise<{ status: string; exitCode: number }> {
    const [status, exitCode] = (
      await podman([
        'inspect',
        '--format',
        '{{.State.Status}} {{.State.ExitCode}}',
        this.containerOf(service),
      ])
    )
      .trim()
      .split(' ');
    return { status: status!, exitCode: Number(exitCode) };
  }

  /** `podman stop`: SIGTERM to the container's PID 1 (node), SIGKILL only after the timeout. */
  async stop(service: ImageService): Promise<{ exitCode: number; seconds: number }> {
    const started = Date.now();
    await podman(['stop', '--time', String(STOP_TIMEOUT_SECONDS), this.containerOf(service)]);
    return { exitCode: (await this.state(service)).exitCode, seconds: (Date.now() - started) / 1000 };
  }

  async logs(service: ImageService): Promise<string> {
    return podman(['logs', this.containerOf(service)]).catch((error: Error) => error.message);
  }

  /** Keeps each container's log in .reports, removes the containers, the database and the topics. */
  async tearDown(): Promise<void> {
    const logDir = join(REPORTS_DIR, 'logs', this.id);
    mkdirSync(logDir, { recursive: true });
    for (const service of IMAGE_SERVICES) {
      if (!this.started.includes(this.containerOf(service))) continue;
      writeFileSync(join(logDir, `${service}.log`), await this.logs(service));
      await podman(['rm', '--force', this.containerOf(service)]).catch(() => undefined);
    }
    await this.isolated.dropAll();
    rmSync(this.keysDir, { recursive: true, force: true });
  }
}
