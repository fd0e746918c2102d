import { TOPICS } from '@chat/contracts';
import { endpointsFromEnv, type Endpoints } from '@chat/runtime';
import { PERSISTENCE_ENV, type ServiceName } from '@chat/service-env';
import { ensurePlatformTopics } from '../topics.js';
import { environmentOf, namespacedMongoUrl } from './environment.js';
import { dropNamespace } from './namespace-data.js';

export type PlatformPorts = Record<'chat' | 'room' | 'persistence', number> & { identity?: number };

/**
 * One suite's own share of the shared Kafka, MongoDB and Redis for services it
 * runs itself (containers): topics, consumer groups, database and keys all carry
 * one unique prefix, as `launchPlatform` names them with that namespace.
 */
export class IsolatedPlatform {
  readonly topics: { messages: string; receipts: string; roomEvents: string };
  readonly mongoUrl: string;

  constructor(
    readonly id: string,
    readonly endpoints: Endpoints = endpointsFromEnv(),
  ) {
    this.topics = {
      messages: this.topic(TOPICS.messages),
      receipts: this.topic(TOPICS.receipts),
      roomEvents: this.topic(TOPICS.roomEvents),
    };
    this.mongoUrl = namespacedMongoUrl(endpoints.mongoUrl, id);
  }

  topic(name: string): string {
    return `${this.id}.${name}`;
  }

  async createTopics(): Promise<void> {
    await ensurePlatformTopics(this.endpoints.kafkaBrokers, (name) => this.topic(name));
  }

  /**
   * Each service's environment for these names on `ports` of `host`: with the identity service
   * when it has a port (tokens then verify by its JWKS), and the development sign-in unless
   * `devSignIn` is false (accounts only, as deployed).
   */
  serviceEnv(
    ports: PlatformPorts,
    options: { host?: string; devSignIn?: boolean } = {},
  ): Partial<Record<ServiceName, Record<string, string>>> &
    Record<'chat' | 'room' | 'persistence', Record<string, string>> {
    const instances = (Object.entries(ports) as [ServiceName, number | undefined][])
      .filter((entry): entry is [ServiceName, number] => entry[1] !== undefined)
      .map(([service, port]) => ({ service, index: 1, port }));
    const environments = environmentOf({
      instances,
      namespace: this.id,
      endpoints: { ...this.endpoints, mongoUrl: this.mongoUrl },
      host: options.host,
      devSignIn: options.devSignIn ?? true,
      nodeEnv: 'development',
    });
    const env = Object.fromEntries(
      instances.map(({ service }, position) => [service, environments[position]!]),
    ) as ReturnType<IsolatedPlatform['serviceEnv']>;
    // Tests read what was written soon after it was sent.
    env.persistence[PERSISTENCE_ENV.flushIntervalMs.name] = '50';
    return env;
  }

  /** Drops the database and deletes every topic of the prefix (the services' group topics too). */
  async dropAll(): Promise<void> {
    await dropNamespace(this.endpoints.kafkaBrokers, this.id, this.mongoUrl);
  }
}
