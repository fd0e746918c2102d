export { suiteConfig } from '@chat/vitest-config';
