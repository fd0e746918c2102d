#!/usr/bin/env node
// `pnpm build` of a service: bundles its src/main.ts into dist/main.js (what its image runs).
import { register } from 'tsx/esm/api';

register();
await import('../src/images/bundle-cli.ts');
