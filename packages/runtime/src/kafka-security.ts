import { readFileSync } from 'node:fs';
import Joi from 'joi';
import { ConfigError, parseConfig } from './config.js';

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
/** One per mechanism, so KafkaJS's own union accepts it. */
export type KafkaSasl = {
  [M in KafkaSaslMechanism]: { mechanism: M; username: string; password: string };
}[KafkaSaslMechanism];

/**
 * How a Kafka client authenticates and encrypts, in the shape KafkaJS takes
 * (`ssl`, `sasl`). Nothing set means plaintext without authentication, the
 * local launcher's brokers.
 */
export interface KafkaSecurity {
  /** TLS to the brokers; `ca` replaces the system's trusted CAs (a Strimzi cluster CA). */
  ssl?: { ca?: string[] };
  sasl?: KafkaSasl;
}

const schema = Joi.object({
  KAFKA_SSL: Joi.boolean().default(false),
  KAFKA_SSL_CA_FILE: Joi.string().when('KAFKA_SSL', {
    is: true,
    otherwise: Joi.forbidden().messages({ 'any.unknown': '"KAFKA_SSL_CA_FILE" needs KAFKA_SSL=true' }),
  }),
  KAFKA_SASL_MECHANISM: Joi.string().valid('plain', 'scram-sha-256', 'scram-sha-512'),
  KAFKA_SASL_USERNAME: Joi.string().when('KAFKA_SASL_MECHANISM', {
    is: Joi.exist(),
    then: Joi.required(),
    otherwise: Joi.forbidden().messages({
      'any.unknown': '"KAFKA_SASL_USERNAME" needs KAFKA_SASL_MECHANISM',
    }),
  }),
  KAFKA_SASL_PASSWORD: Joi.string().when('KAFKA_SASL_MECHANISM', {
    is: Joi.exist(),
    then: Joi.required(),
    otherwise: Joi.forbidden().messages({
      'any.unknown': '"KAFKA_SASL_PASSWORD" needs KAFKA_SASL_MECHANISM',
    }),
  }),
});

/** The variables `kafkaSecurityFromEnv` reads. */
export const KAFKA_SECURITY_ENV_NAMES: readonly string[] = Object.keys(schema.describe().keys ?? {});

interface Raw {
  KAFKA_SSL: boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}

/** Empty means unset, so a manifest may list every variable and fill only the ones it uses. */
const given = (value: string | undefined) => (value ? value : undefined);

/**
 * TLS and SASL settings for every Kafka client of the process, checked once
 * at start-up: a missing credential, a mechanism KafkaJS lacks or an
 * unreadable CA file is a ConfigError naming the variable, never its value.
 */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  const raw = parseConfig<Raw>(schema, {
    KAFKA_SSL: given(env.KAFKA_SSL),
    KAFKA_SSL_CA_FILE: given(env.KAFKA_SSL_CA_FILE),
    KAFKA_SASL_MECHANISM: given(env.KAFKA_SASL_MECHANISM),
    KAFKA_SASL_USERNAME: given(env.KAFKA_SASL_USERNAME),
    KAFKA_SASL_PASSWORD: given(env.KAFKA_SASL_PASSWORD),
  });
  const security: KafkaSecurity = {};
  if (raw.KAFKA_SSL) security.ssl = raw.KAFKA_SSL_CA_FILE ? { ca: [readCa(raw.KAFKA_SSL_CA_FILE)] } : {};
  if (raw.KAFKA_SASL_MECHANISM) {
    security.sasl = {
      mechanism: raw.KAFKA_SASL_MECHANISM,
      username: raw.KAFKA_SASL_USERNAME!,
      password: raw.KAFKA_SASL_PASSWORD!,
    } as KafkaSasl;
  }
  return security;
}

function readCa(file: string): string {
  try {
    const pem = readFileSync(file, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it');
    return pem;
  } catch (error) {
    throw new ConfigError([
      `KAFKA_SSL_CA_FILE ${file} is not a readable PEM file (${(error as Error).message})`,
    ]);
  }
}
