import { suiteConfig } from '@chat/testkit/vitest';
import { mergeConfig } from 'vitest/config';

// The web page's plain functions are tested with the gateway's suite.
export default mergeConfig(suiteConfig({ integration: true }), {
  test: { include: ['web/src/**/*.test.ts'] },
});
