import type { ViteUserConfig } from 'vitest/config';

export function suiteConfig(options?: { integration?: boolean; testTimeout?: number }): ViteUserConfig;
