// The defaults live in @chat/vitest-config, which contracts uses without depending on the kit.
export { suiteConfig } from '@chat/vitest-config';
