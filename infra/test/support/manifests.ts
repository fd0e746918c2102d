import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AUTH_ENV_NAMES } from '@chat/auth';
import { ENDPOINT_ENV_NAMES, KAFKA_SECURITY_ENV_NAMES } from '@chat/runtime';
import { SERVICE_ENV, envNames, type ServiceName, type SharedEnv } from '@chat/service-env';
import { TRACING_ENV_NAMES } from '@chat/telemetry';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../src/paths.js';

export const K8S_DIR = join(REPO_ROOT, 'k8s');

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
  /** Where it came from, for failure messages. */
  file: string;
}

function* yamlFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* yamlFiles(path);
    else if (/\.ya?ml$/.test(entry.name)) yield path;
  }
}

/** Parses YAML text with several documents; any syntax error fails loudly. */
export function parseManifests(text: string, file: string): Manifest[] {
  return parseAllDocuments(text).map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
    return { ...(document.toJS() as Omit<Manifest, 'file'>), file } as Manifest;
  });
}

/** Every Kubernetes object under k8s/base (kustomization files excluded). */
export function baseManifests(): Manifest[] {
  const manifests: Manifest[] = [];
  for (const file of yamlFiles(join(K8S_DIR, 'base'))) {
    const name = relative(K8S_DIR, file);
    for (const manifest of parseManifests(readFileSync(file, 'utf8'), name)) {
      if (manifest.kind !== 'Kustomization') manifests.push(manifest);
    }
  }
  return manifests;
}

const SHARED_ENV_NAMES: Record<SharedEnv, readonly string[]> = {
  endpoints: [...ENDPOINT_ENV_NAMES, ...KAFKA_SECURITY_ENV_NAMES],
  auth: AUTH_ENV_NAMES,
  tracing: TRACING_ENV_NAMES,
};

/** What a service reads: its own table and the shared parsers it calls, as `@chat/service-env` declares them. */
export function envReadBy(service: ServiceName): string[] {
  const { env, shared } = SERVICE_ENV[service];
  return [...envNames(env), ...shared.flatMap((parser) => SHARED_ENV_NAMES[parser])];
}
