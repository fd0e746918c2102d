import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { kafkaSecurityFromEnv } from './kafka-security.js';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    kafkaSecurityFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('kafkaSecurityFromEnv', () => {
  it('is plaintext without authentication when nothing (or only empty values) is set', () => {
    expect(kafkaSecurityFromEnv({})).toEqual({});
    expect(
      kafkaSecurityFromEnv({
        KAFKA_SSL: '',
        KAFKA_SASL_MECHANISM: '',
        KAFKA_SASL_USERNAME: '',
        KAFKA_SASL_PASSWORD: '',
      }),
    ).toEqual({});
  });

  it('takes TLS with a CA file and SCRAM credentials in the shape KafkaJS takes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-ca-'));
    const ca = join(dir, 'ca.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(
      kafkaSecurityFromEnv({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: ca,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'chat-platform',
        KAFKA_SASL_PASSWORD: 's3cret',
      }),
    ).toEqual({
      ssl: { ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'] },
      sasl: { mechanism: 'scram-sha-512', username: 'chat-platform', password: 's3cret' },
    });
    expect(kafkaSecurityFromEnv({ KAFKA_SSL: 'true' })).toEqual({ ssl: {} });
  });

  it('names every missing or stray setting at once, and never echoes a value', () => {
    const problems = problemsOf({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'chat-platform',
      KAFKA_SSL_CA_FILE: '/nowhere/ca.crt',
    });
    expect(problems).toEqual([
      expect.stringMatching(/KAFKA_SSL_CA_FILE" needs KAFKA_SSL=true/),
      expect.stringMatching(/KAFKA_SASL_PASSWORD" is required/),
    ]);
    const wrong = problemsOf({ KAFKA_SASL_MECHANISM: 'gssapi-secret-value' });
    expect(wrong.join('\n')).toMatch(/KAFKA_SASL_MECHANISM" must be one of/);
    expect(wrong.join('\n')).not.toContain('gssapi-secret-value');
    expect(problemsOf({ KAFKA_SASL_PASSWORD: 'hunter2' })).toEqual([
      expect.stringMatching(/KAFKA_SASL_PASSWORD" needs KAFKA_SASL_MECHANISM/),
    ]);
    expect(problemsOf({ KAFKA_SSL: 'maybe' })).toEqual([
      expect.stringMatching(/KAFKA_SSL" must be a boolean/),
    ]);
  });

  it('refuses a CA file it cannot read as PEM', () => {
    expect(problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nowhere/ca.crt' })).toEqual([
      expect.stringMatching(/^KAFKA_SSL_CA_FILE \/nowhere\/ca.crt is not a readable PEM file/),
    ]);
  });
});
