import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('README', () => {
  it('shows a complete listener in under 30 lines, the same code the typecheck compiles', () => {
    const example = /```ts\n([\s\S]*?)```/.exec(read('../README.md'))?.[1] ?? '';
    expect(example.trimEnd().split('\n').length).toBeLessThan(30);
    expect(example).toBe(read('./fixtures/readme-example.ts'));
    expect(example).toMatch(/extends Listener/);
    expect(example).toMatch(/await listener\.start\(\)/);
  });
});
