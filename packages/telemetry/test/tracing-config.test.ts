import { ConfigError } from '@chat/runtime';
import { describe, expect, it } from 'vitest';
import { tracingConfigFromEnv } from '../src/index.js';

describe('tracingConfigFromEnv', () => {
  it('records nothing locally: no exporter, no endpoint, no opt-in', () => {
    expect(tracingConfigFromEnv('chat', {})).toEqual({
      serviceName: 'chat',
      exporting: false,
      disabled: false,
    });
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }],
    [{ OTEL_TRACES_EXPORTER: 'console' }],
    [{ OTEL_SDK_DISABLED: 'false' }],
  ])('exports once the environment asks for it: %o', (env) => {
    expect(tracingConfigFromEnv('chat', env).exporting).toBe(true);
  });

  it('lets OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none win over an endpoint', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingConfigFromEnv('chat', { ...endpoint, OTEL_SDK_DISABLED: 'true' })).toMatchObject({
      exporting: false,
      disabled: true,
    });
    expect(tracingConfigFromEnv('chat', { ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).exporting).toBe(false);
  });

  it('takes the service name from OTEL_SERVICE_NAME over the built-in one', () => {
    expect(tracingConfigFromEnv('chat', { OTEL_SERVICE_NAME: 'chat-eu' }).serviceName).toBe('chat-eu');
  });

  it('refuses malformed settings, naming each one', () => {
    let error: unknown;
    try {
      tracingConfigFromEnv('chat', {
        OTEL_SDK_DISABLED: 'maybe',
        OTEL_TRACES_EXPORTER: 'jaeger',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('OTEL_SDK_DISABLED');
    expect(problems).toContain('OTEL_TRACES_EXPORTER');
    expect(problems).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
  });
});
