import { InfraError } from '../errors.js';
import { buildImages } from './build.js';
import { IMAGE_SERVICES, type ImageService } from './names.js';
import { podman } from './podman.js';

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(IMAGE_SERVICES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`usage: pnpm images [${IMAGE_SERVICES.join('|')} ...]  (unknown: ${unknown.join(', ')})`);
  process.exit(2);
}
try {
  const started = Date.now();
  const built = await buildImages(
    (message) => console.log(`[images] ${message}`),
    requested.length > 0 ? (requested as ImageService[]) : IMAGE_SERVICES,
  );
  console.log(`\nimages built in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
  for (const image of built) {
    const size = (await podman(['image', 'inspect', '--format', '{{.Size}}', image.references[0]!])).trim();
    console.log(
      `  ${image.references.join('  ').padEnd(60)} ${(Number(size) / 1e6).toFixed(0)} MB  (${image.seconds.toFixed(1)} s)`,
    );
  }
} catch (error) {
  if (!(error instanceof InfraError)) throw error;
  console.error(`[images] ${error.message}`);
  process.exit(1);
}
