import { randomBytes } from 'node:crypto';

/** Topic, group and collection names unique per test, so suites never share state on the one local infrastructure. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
