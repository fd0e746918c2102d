import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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

/**
 * Env variable names a config source parses: the keys of its Joi schema, whether written with Joi
 * itself or with a local helper (`NAME: Joi...`, `NAME: ms(...)`, `NAME: int(...)`, `NAME: url.optional()`).
 */
export function envNamesIn(file: string): string[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  return [
    ...new Set(
      [...text.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):\s*(?:Joi\b|[a-z][A-Za-z]*[(.])/gm)].map(
        (match) => match[1]!,
      ),
    ),
  ];
}

/** What a service reads: its config's own schema, the shared parsers it calls, and tracing when its entry point starts it. */
export function envReadBy(service: string): string[] {
  const file = `services/${service}/src/config.ts`;
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const main = readFileSync(join(REPO_ROOT, `services/${service}/src/main.ts`), 'utf8');
  return [
    ...envNamesIn(file),
    ...(text.includes('endpointsFromEnv(')
      ? [
          ...envNamesIn('packages/runtime/src/endpoints.ts'),
          ...envNamesIn('packages/runtime/src/kafka-security.ts'),
        ]
      : []),
    ...(text.includes('authConfigFromEnv(') ? envNamesIn('packages/auth/src/config.ts') : []),
    ...(main.includes('startTelemetry(')
      ? envNamesIn('packages/telemetry/src/config/tracing-config.ts')
      : []),
  ];
}
