/**
 * One environment variable a service reads. `default` is what the service's
 * parser uses when the variable is unset (absent: no default, or one the
 * service computes itself, like an instance id).
 */
export interface EnvVar {
  readonly name: string;
  readonly default?: string | number | boolean;
  /**
   * What a launcher prefixes to run the service beside others on shared
   * servers: a topic, a comma-separated list of topics, a consumer group
   * (or group prefix), a Redis key.
   */
  readonly namespaced?: 'topic' | 'topics' | 'group' | 'key';
  /** What a launcher sets for each instance it starts: the HTTP port, the bind address, the instance's unique name. */
  readonly role?: 'port' | 'host' | 'instance';
  /** A launcher sets it to the base URL of this service when it runs it too. */
  readonly urlOf?: string;
  /** With `urlOf`: the path the launcher appends to that service's base URL. @defaultValue none */
  readonly path?: string;
  /** A launcher sets it to the browser origins of this service's instances when it runs them too. */
  readonly originsOf?: string;
}

export type EnvTable = Readonly<Record<string, EnvVar>>;

/** The shared parsers a service calls besides its own, each reading its own variables. */
export type SharedEnv = 'endpoints' | 'auth' | 'tracing';

export interface ServiceEnv {
  /** The service's own variables (its configuration module parses them). */
  readonly env: EnvTable;
  readonly shared: readonly SharedEnv[];
}

/** The variable names of a table, in declaration order. */
export const envNames = (table: EnvTable): string[] => Object.values(table).map((entry) => entry.name);
