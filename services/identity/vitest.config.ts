import { suiteConfig } from '@chat/testkit/vitest';

export default suiteConfig({ integration: true });
