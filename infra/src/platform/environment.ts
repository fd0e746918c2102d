import { endpointsEnv, type Endpoints } from '@chat/runtime';
import { AUTH_ENV, SERVICE_ENV, type EnvVar, type ServiceName } from '@chat/service-env';

/** One process of a planned platform: which service, which instance of it, on which port. */
export interface PlannedInstance {
  service: ServiceName;
  /** 1-based, among the instances of its service. */
  index: number;
  port: number;
}

export interface EnvironmentPlan {
  instances: readonly PlannedInstance[];
  /** Prefix of topics, groups and Redis keys. @defaultValue none: each table's defaults */
  namespace?: string;
  /** The servers, the database already the namespace's own. */
  endpoints: Pick<Endpoints, 'kafkaBrokers' | 'mongoUrl' | 'redisUrl'>;
  /** Where every service binds and is reached. @defaultValue 127.0.0.1 */
  host?: string;
  /** Development sign-in (AUTH_DEV_SIGNIN) for the services that verify tokens. */
  devSignIn: boolean;
  /** NODE_ENV of every service (images set `production`, which refuses development sign-in). @defaultValue inherited */
  nodeEnv?: string;
}

const urlOf = (host: string, port: number) => `http://${host}:${port}`;

/** The value a namespaced variable gets: topics and groups `<ns>.<name>`, Redis keys `<ns>:<key>`. */
function inNamespace(entry: EnvVar, namespace: string): string {
  const value = String(entry.default);
  if (entry.namespaced === 'key') return `${namespace}:${value}`;
  if (entry.namespaced === 'topics')
    return value
      .split(',')
      .map((topic) => `${namespace}.${topic}`)
      .join(',');
  return `${namespace}.${value}`;
}

/**
 * Each instance's environment, from the services' tables in `@chat/service-env`:
 * its port, address and instance name, the URLs and origins of the other
 * services planned with it, the servers, and with a namespace every topic,
 * group and key. Pure, so a launcher of processes or of containers uses it alike.
 */
export function environmentOf(plan: EnvironmentPlan): Record<string, string>[] {
  const host = plan.host ?? '127.0.0.1';
  const { namespace } = plan;
  const portsOf = (service: string) =>
    plan.instances.filter((instance) => instance.service === service).map((instance) => instance.port);
  // A person may open the page as localhost or as 127.0.0.1: both are origins.
  const originsOf = (port: number) => [urlOf(host, port), `http://localhost:${port}`];
  const valueOf = (entry: EnvVar, instance: PlannedInstance): string | undefined => {
    if (entry.role === 'port') return String(instance.port);
    if (entry.role === 'host') return host;
    if (entry.role === 'instance') return `${namespace ?? 'local'}-${instance.index}`;
    if (entry.urlOf) {
      const [port] = portsOf(entry.urlOf);
      return port === undefined ? undefined : `${urlOf(host, port)}${entry.path ?? ''}`;
    }
    if (entry.originsOf) {
      const origins = portsOf(entry.originsOf).flatMap(originsOf);
      return origins.length ? origins.join(',') : undefined;
    }
    return entry.namespaced && namespace ? inNamespace(entry, namespace) : undefined;
  };
  const servers = endpointsEnv(plan.endpoints);
  return plan.instances.map((instance) => {
    const { env, shared } = SERVICE_ENV[instance.service];
    const verifiesTokens = (shared as readonly string[]).includes('auth');
    const entries = [...Object.values(env), ...(verifiesTokens ? Object.values(AUTH_ENV) : [])];
    const result: Record<string, string> = {
      ...servers,
      ...(plan.nodeEnv ? { NODE_ENV: plan.nodeEnv } : {}),
    };
    if (verifiesTokens) result[AUTH_ENV.devSignIn.name] = String(plan.devSignIn);
    for (const entry of entries) {
      const value = valueOf(entry, instance);
      if (value !== undefined) result[entry.name] = value;
    }
    return result;
  });
}

/** The database of a namespace on the same server: `<server>/<namespace>` (MongoDB names take no `-`). */
export function namespacedMongoUrl(mongoUrl: string, namespace: string | undefined): string {
  const url = new URL(mongoUrl);
  if (namespace) url.pathname = `/${namespace.replace(/-/g, '_')}`;
  return url.toString();
}
