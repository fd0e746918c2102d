import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR } from '../../src/paths.js';

const run = promisify(execFile);
const VERSION = 'v5.4.3';
const MODULE = 'sigs.k8s.io/kustomize/kustomize/v5';
export const KUSTOMIZE = join(CACHE_DIR, `kustomize-${VERSION}`, 'kustomize');

const GO_ENV = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '' };

/**
 * The pinned kustomize, built with Go on first use and cached. `go install
 * pkg@version` needs the proxy's version list, which it may refuse; a
 * throwaway module requiring the exact version builds without it.
 */
export async function kustomize(): Promise<string> {
  if (existsSync(KUSTOMIZE)) return KUSTOMIZE;
  const binDir = join(CACHE_DIR, `kustomize-${VERSION}`);
  mkdirSync(binDir, { recursive: true });
  try {
    await run('go', ['install', `${MODULE}@${VERSION}`], {
      env: { ...GO_ENV, GOBIN: binDir },
      maxBuffer: 1 << 24,
    });
  } catch {
    const work = mkdtempSync(join(tmpdir(), 'kustomize-build-'));
    try {
      writeFileSync(
        join(work, 'go.mod'),
        `module throwaway/kustomize\n\ngo 1.22\n\nrequire ${MODULE} ${VERSION}\n`,
      );
      writeFileSync(join(work, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${MODULE}"\n`);
      await run('go', ['mod', 'tidy'], { cwd: work, env: GO_ENV, maxBuffer: 1 << 24 });
      await run('go', ['build', '-o', KUSTOMIZE, MODULE], { cwd: work, env: GO_ENV, maxBuffer: 1 << 24 });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  if (!existsSync(KUSTOMIZE)) throw new Error(`building kustomize ${VERSION} left no binary at ${KUSTOMIZE}`);
  return KUSTOMIZE;
}

export async function kustomizeBuild(dir: string): Promise<string> {
  const { stdout } = await run(await kustomize(), ['build', dir], { maxBuffer: 1 << 24 });
  return stdout;
}
