import { existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InfraError } from '../errors.js';
import { CACHE_DIR } from '../paths.js';
import { run, which } from '../shell.js';
import { imageExists, podman } from './podman.js';

const BASE_REPOSITORY = 'localhost/chat-platform/node-base';
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The machine's Node: its binary and the npm and corepack that came with it. */
function machineNode(): { binary: string; modules: string; version: string } {
  const node = which('node');
  if (!node) throw new InfraError('BAD_ENVIRONMENT', 'no `node` on PATH to put into the base image');
  const binary = realpathSync(node);
  const version = process.version.slice(1);
  if (!version.startsWith('20.')) {
    throw new InfraError(
      'BAD_ENVIRONMENT',
      `the base image wants Node 20 (node:20-bookworm-slim); this is ${version}`,
    );
  }
  return { binary, modules: join(dirname(dirname(binary)), 'lib', 'node_modules'), version };
}

/**
 * A stand-in for `node:20-bookworm-slim` where no registry is reachable: Debian bookworm minbase
 * (mmdebstrap, from Debian's apt repositories) with this machine's Node 20 laid out as the
 * official image lays it out (/usr/local/bin/node, npm and corepack). Built once per Node version
 * and kept in Podman's image store under that version's tag.
 */
export async function ensureBaseImage(progress: (message: string) => void): Promise<string> {
  const node = machineNode();
  const reference = `${BASE_REPOSITORY}:${node.version}`;
  if (await imageExists(reference)) return reference;

  const workDir = join(CACHE_DIR, 'images');
  mkdirSync(workDir, { recursive: true });
  const rootfs = join(workDir, `node-base-${node.version}.tar`);
  progress(
    `building the stand-in base image ${reference} (Debian bookworm minbase + Node ${node.version}; once per Node version)`,
  );
  const hooks = [
    `copy-in ${node.binary} /usr/local/bin`,
    'mkdir -p "$1/usr/local/lib/node_modules"',
    `copy-in ${join(node.modules, 'npm')} ${join(node.modules, 'corepack')} /usr/local/lib/node_modules`,
    'ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"',
    'ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"',
    'ln -s ../lib/node_modules/corepack/dist/corepack.js "$1/usr/local/bin/corepack"',
  ];
  // A machine whose egress needs its own certificate authority (NODE_EXTRA_CA_CERTS) passes it on,
  // so npm and corepack in the build stage can reach the registry as the machine itself does.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  const caChanges: string[] = [];
  if (extraCa && existsSync(extraCa)) {
    hooks.push(
      'mkdir -p "$1/usr/local/share/ca-certificates"',
      `copy-in ${extraCa} /usr/local/share/ca-certificates`,
    );
    caChanges.push(
      '--change',
      `ENV=NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/${basename(extraCa)}`,
    );
  }
  try {
    await run('mmdebstrap', [
      '--variant=minbase',
      '--quiet',
      '--dpkgopt=path-exclude=/usr/share/doc/*',
      '--dpkgopt=path-exclude=/usr/share/man/*',
      '--dpkgopt=path-exclude=/usr/share/locale/*',
      ...hooks.map((hook) => `--customize-hook=${hook}`),
      'bookworm',
      rootfs,
      'http://deb.debian.org/debian',
    ]);
    await podman([
      'import',
      '--change',
      `ENV=PATH=${PATH}`,
      '--change',
      `ENV=NODE_VERSION=${node.version}`,
      '--change',
      'CMD=["node"]',
      ...caChanges,
      '--message',
      `Debian bookworm minbase + Node ${node.version} (stand-in for node:20-bookworm-slim)`,
      rootfs,
      reference,
    ]);
  } catch (error) {
    throw new InfraError('INSTALL_FAILED', `the base image did not build: ${(error as Error).message}`);
  } finally {
    rmSync(rootfs, { force: true });
  }
  return reference;
}
