import { suiteConfig } from '@chat/testkit/vitest';

// The log-line tests start a process of their own (tsx, the SDK): seconds on a busy machine.
export default suiteConfig({ testTimeout: 30_000 });
