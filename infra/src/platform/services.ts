import { join } from 'node:path';
import { SERVICE_ENV, type EnvTable, type ServiceName } from '@chat/service-env';
import { REPO_ROOT } from '../paths.js';

/** One process to start: what the supervisor spawns. */
export interface ServiceSpec {
  name: string;
  dir: string;
  /** Where its /readyz answers once it is ready. */
  port: number;
  env: Record<string, string>;
  /** Node flags before the entry point (e.g. `--cpu-prof`). @defaultValue none */
  nodeArgs?: string[];
  /** The entry point, relative to `dir`. @defaultValue src/main.ts */
  script?: string;
}

/** A platform service: its folder and the environment its configuration reads. */
export interface PlatformService {
  name: ServiceName;
  dir: string;
  env: EnvTable;
}

/** Every service of `@chat/service-env`, in its order; each runs `services/<name>/src/main.ts`. */
export const PLATFORM_SERVICES: readonly PlatformService[] = Object.entries(SERVICE_ENV).map(
  ([name, { env }]) => ({ name: name as ServiceName, dir: join(REPO_ROOT, 'services', name), env }),
);
