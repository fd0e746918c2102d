import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../errors.js';
import { CACHE_DIR } from '../paths.js';
import { run, which } from '../shell.js';

/** The newest Toxiproxy the Go module proxy serves; its server package is `cmd/server` in this release. */
export const TOXIPROXY_VERSION = 'v2.5.0';
const MODULE_PACKAGE = 'github.com/Shopify/toxiproxy/v2/cmd/server';
const BINARY = join(CACHE_DIR, `toxiproxy-${TOXIPROXY_VERSION}`, 'toxiproxy-server');

/**
 * The Toxiproxy server binary, built once with `go install` into the user
 * cache (where a fresh clone finds it again, like FerretDB); the Go module
 * proxy is all it needs.
 */
export async function toxiproxyBinary(progress: (message: string) => void): Promise<string> {
  if (existsSync(BINARY)) return BINARY;
  if (!which('go'))
    throw new InfraError('INSTALL_FAILED', 'Go is not installed: Toxiproxy is built with `go install`');
  progress(`building Toxiproxy ${TOXIPROXY_VERSION} with go install (first run only)`);
  const gobin = join(CACHE_DIR, `toxiproxy-${TOXIPROXY_VERSION}.partial`);
  mkdirSync(gobin, { recursive: true });
  try {
    await run('go', ['install', `${MODULE_PACKAGE}@${TOXIPROXY_VERSION}`], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '' },
    });
  } catch (error) {
    throw new InfraError('INSTALL_FAILED', `could not build Toxiproxy: ${(error as Error).message}`);
  }
  mkdirSync(join(BINARY, '..'), { recursive: true });
  renameSync(join(gobin, 'server'), BINARY);
  rmSync(gobin, { recursive: true, force: true });
  return BINARY;
}
