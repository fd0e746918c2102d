#!/usr/bin/env node
// `pnpm build` of a service: bundles its src/main.ts into dist/main.js (what its image runs).
import { register } from 'tsx/esm/api';

register();
const { bundleService } = await import('../src/images/bundle.ts');
const { outfile, bytes } = await bundleService(process.cwd());
console.log(`bundled ${outfile} (${(bytes / 1024 / 1024).toFixed(1)} MiB)`);
