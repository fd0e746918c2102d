#!/usr/bin/env node
// `pnpm images`: builds the services' container images with Podman (see docs/deploy.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/images/cli.ts');
