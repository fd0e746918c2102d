import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR, INFRA_DIR } from '../../src/paths.js';

const run = promisify(execFile);
const SOURCE = join(INFRA_DIR, 'k8s-validate');

/** The validator's binary, named by a hash of its sources so an edit rebuilds it. */
function binaryPath(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(SOURCE).sort()) hash.update(file).update(readFileSync(join(SOURCE, file)));
  return join(CACHE_DIR, `k8s-validate-${hash.digest('hex').slice(0, 16)}`, 'k8s-validate');
}

/**
 * infra/k8s-validate (strict decoding into the k8s.io/api and Prometheus
 * Operator Go types), built with Go on first use and cached: the first build
 * fetches its pinned modules from the Go module proxy and takes a few minutes.
 */
export async function k8sValidator(): Promise<string> {
  const binary = binaryPath();
  if (existsSync(binary)) return binary;
  process.stderr.write(`building infra/k8s-validate into ${binary} (first run only)\n`);
  await run('go', ['build', '-o', binary, '.'], {
    cwd: SOURCE,
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
    maxBuffer: 1 << 24,
  });
  return binary;
}

/** Runs the validator on rendered manifests: what it printed, and whether every object decoded. */
export async function validateManifests(rendered: string): Promise<{ ok: boolean; output: string }> {
  const binary = await k8sValidator();
  return new Promise((resolve, reject) => {
    const child = execFile(binary, [], { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const code = (error as (NodeJS.ErrnoException & { code?: number | string }) | null)?.code;
      if (error && typeof code !== 'number') reject(error);
      else resolve({ ok: !error, output: `${stdout}${stderr}` });
    });
    child.stdin!.end(rendered);
  });
}
