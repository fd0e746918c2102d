import { InfraError } from '../errors.js';
import { REPO_ROOT } from '../paths.js';
import { run } from '../shell.js';
import { ensureBaseImage } from './base-image.js';
import {
  CONTAINERFILE,
  IMAGE_DESCRIPTIONS,
  IMAGE_SERVICES,
  imageBuildArgs,
  imageName,
  platformVersion,
  type ImageService,
} from './names.js';
import { ensurePodman, podman, ulimitArgs } from './podman.js';

export interface BuiltImage {
  service: ImageService;
  /** Every tag given, the version's first. */
  references: string[];
  seconds: number;
}

async function git(args: string[]): Promise<string | undefined> {
  try {
    return (await run('git', ['-C', REPO_ROOT, ...args])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The tags of one service's image: the platform version and the short git revision. */
export async function imageReferences(service: ImageService): Promise<string[]> {
  const revision = await git(['rev-parse', '--short', 'HEAD']);
  return [platformVersion(), ...(revision ? [revision] : [])].map((tag) => `${imageName(service)}:${tag}`);
}

/**
 * Builds the services' images with Podman from the root Containerfile, on the stand-in base image.
 * Its build stage does not depend on the service, so the first image builds it and the others (and
 * every later run without source changes) take it from Podman's layer cache.
 */
export async function buildImages(
  progress: (message: string) => void,
  services: readonly ImageService[] = IMAGE_SERVICES,
): Promise<BuiltImage[]> {
  await ensurePodman(progress);
  const base = await ensureBaseImage(progress);
  const revision = (await git(['rev-parse', 'HEAD'])) ?? 'unknown';
  const source = (await git(['remote', 'get-url', 'origin'])) ?? '';
  const labels = { version: platformVersion(), revision, source };
  const limits = await ulimitArgs();
  const built: BuiltImage[] = [];
  for (const service of services) {
    const started = Date.now();
    const references = await imageReferences(service);
    progress(`building ${references.join(', ')}`);
    try {
      await podman([
        'build',
        '--network',
        'host',
        ...limits,
        '--file',
        CONTAINERFILE,
        '--build-arg',
        `NODE_IMAGE=${base}`,
        ...Object.entries(imageBuildArgs(service)).flatMap(([name, value]) => [
          '--build-arg',
          `${name}=${value}`,
        ]),
        ...Object.entries({
          ...labels,
          title: imageName(service),
          description: IMAGE_DESCRIPTIONS[service],
        }).flatMap(([name, value]) => [
          ...(name in labels ? ['--build-arg', `${name.toUpperCase()}=${value}`] : []),
          // Buildah 1.28 takes a LABEL step from its cache whatever the ARG value: say it again.
          '--label',
          `org.opencontainers.image.${name}=${value}`,
        ]),
        ...references.flatMap((reference) => ['--tag', reference]),
        REPO_ROOT,
      ]);
    } catch (error) {
      throw new InfraError('START_FAILED', `the ${service} image did not build: ${(error as Error).message}`);
    }
    built.push({ service, references, seconds: (Date.now() - started) / 1000 });
  }
  return built;
}
