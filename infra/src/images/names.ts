import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.js';

/** The deployable services, each built from `services/<name>/Containerfile`. */
export const IMAGE_SERVICES = ['chat', 'room', 'persistence', 'identity'] as const;
export type ImageService = (typeof IMAGE_SERVICES)[number];

/** The image name the Kubernetes manifests and compose.yaml run. */
export const imageName = (service: ImageService) => `chat-platform/${service}`;

export const containerfileOf = (service: ImageService) =>
  join(REPO_ROOT, 'services', service, 'Containerfile');

/** The version every image is tagged with: the root package.json's. */
export function platformVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
