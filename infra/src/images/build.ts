import { InfraError } from '../errors.js';
import { REPO_ROOT } from '../paths.js';
import { run } from '../shell.js';
import { ensureBaseImage } from './base-image.js';
import { IMAGE_SERVICES, containerfileOf, imageName, platformVersion, type ImageService } from './names.js';
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
 * Builds the services' images with Podman from their Containerfiles, on the stand-in base image.
 * The Containerfiles share their build stage, so the first image builds it and the others (and
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
        containerfileOf(service),
        '--build-arg',
        `NODE_IMAGE=${base}`,
        ...Object.entries(labels).flatMap(([name, value]) => [
          '--build-arg',
          `${name.toUpperCase()}=${value}`,
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
