import Joi from 'joi';
import { parseConfig } from '@chat/runtime';

export interface FaultSuiteConfig {
  /** `ci`: the short scenarios (the package's `test`); `all`: every scenario, the cluster one included (FAULT_SUITE). @defaultValue ci */
  suite: 'ci' | 'all';
}

const schema = Joi.object({ FAULT_SUITE: Joi.string().valid('ci', 'all').default('ci') });

export function faultSuiteConfig(env: NodeJS.ProcessEnv = process.env): FaultSuiteConfig {
  const raw = parseConfig(schema, { FAULT_SUITE: env.FAULT_SUITE });
  return { suite: raw.FAULT_SUITE as 'ci' | 'all' };
}
