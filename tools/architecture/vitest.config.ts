import { suiteConfig } from '@chat/testkit/vitest';

// Each case runs the dependency-cruiser command line, which takes seconds on a busy machine.
export default suiteConfig({ testTimeout: 60_000 });
