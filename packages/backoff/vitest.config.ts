import { suiteConfig } from '@chat/vitest-config';

export default suiteConfig();
