import Joi from 'joi';
import { parseConfig } from '@chat/runtime';

export interface FaultSuiteConfig {
  /** `ci`: the short scenarios (the package's `test`); `all`: every scenario, the cluster one included (FAULT_SUITE). @defaultValue ci */
  suite: 'ci' | 'all';
  /** The services' LOG_LEVEL (FAULT_LOG_LEVEL); `debug` also logs every KafkaJS request. @defaultValue warn */
  serviceLogLevel: string;
}

const schema = Joi.object({
  FAULT_SUITE: Joi.string().valid('ci', 'all').default('ci'),
  FAULT_LOG_LEVEL: Joi.string().valid('debug', 'info', 'warn', 'error').default('warn'),
});

export function faultSuiteConfig(env: NodeJS.ProcessEnv = process.env): FaultSuiteConfig {
  const raw = parseConfig<{ FAULT_SUITE: 'ci' | 'all'; FAULT_LOG_LEVEL: string }>(schema, {
    FAULT_SUITE: env.FAULT_SUITE,
    FAULT_LOG_LEVEL: env.FAULT_LOG_LEVEL,
  });
  return { suite: raw.FAULT_SUITE, serviceLogLevel: raw.FAULT_LOG_LEVEL };
}
