import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ENV } from '@chat/service-env';
import { REPO_ROOT } from '../paths.js';

/** The deployable services, each built from the root `Containerfile` with `SERVICE=<name>`. */
export const IMAGE_SERVICES = ['chat', 'room', 'persistence', 'identity'] as const;
export type ImageService = (typeof IMAGE_SERVICES)[number];

/** Each image's `org.opencontainers.image.description`. */
export const IMAGE_DESCRIPTIONS: Readonly<Record<ImageService, string>> = {
  chat: 'The chat gateway (Socket.IO and HTTP API) and the web page it serves.',
  room: 'The room service: rooms and membership, the creation saga and the outbox dispatcher.',
  persistence: 'The persistence worker: writes the message and receipt streams into MongoDB in bulk.',
  identity: 'The identity service: accounts, sign-in and single sign-on, the signing keys and their JWKS.',
};

/** The build arguments that make the root Containerfile one service's image (its HTTP port from its env table). */
export const imageBuildArgs = (service: ImageService): Record<string, string> => ({
  SERVICE: service,
  PORT: String(SERVICE_ENV[service].env.port.default),
  DESCRIPTION: IMAGE_DESCRIPTIONS[service],
});

/** The image name the Kubernetes manifests and compose.yaml run. */
export const imageName = (service: ImageService) => `chat-platform/${service}`;

export const CONTAINERFILE = join(REPO_ROOT, 'Containerfile');

/** The version every image is tagged with: the root package.json's. */
export function platformVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
