import type { ManagedProcess } from '../processes.js';

/** One of the servers the platform needs, started locally or reached at an external address. */
export interface LocalServer {
  /** kafka, mongo or redis; cluster nodes are kafka-1, kafka-2, kafka-3. */
  name: string;
  /** What clients connect to, as printed by `up` and `status`. */
  address: string;
  /** The address came from the environment: check it answers, never start or stop it. */
  external: boolean;
  /** The environment variable that points the platform at an external server of this kind. */
  envVariable: string;
  ports: number[];
  process: ManagedProcess;
  /** Seconds a cold start may take before the launcher gives up. */
  startTimeoutSeconds: number;
  /** Installs or builds what is missing; a no-op when the cache is warm. */
  install(progress: (message: string) => void): Promise<void>;
  /** Spawns the server process (detached). */
  spawn(): void;
  /** Proves the server really answers (a produce and fetch, a find, a ping); throws otherwise. */
  probe(): Promise<void>;
}
