import { suiteConfig } from '@chat/testkit/vitest';

// The first run builds the base image and the four images (minutes); later runs reuse the cache.
export default suiteConfig({ integration: true, testTimeout: 120_000 });
