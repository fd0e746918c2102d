import { describe, expect, it } from 'vitest';
import { handleFromName, validDisplayName, validHandle } from './handle.js';

describe('handles', () => {
  it('normalises width and case, so look-alikes are one account', () => {
    expect(validHandle('Ada')).toBe('ada');
    expect(validHandle('ＡＤＡ')).toBe('ada');
    expect(validHandle(' ada.l ')).toBe('ada.l');
  });

  it('refuses what is outside the alphabet or the length', () => {
    for (const bad of ['ab', 'a'.repeat(33), '.ada', 'ada lovelace', 'adä', '{"$ne":null}', 'ad$a']) {
      expect(validHandle(bad)).toBeUndefined();
    }
  });

  it('derives a valid handle from any provider name', () => {
    for (const name of ['Ada Lovelace', 'ada@example.com', 'X', '', undefined, '__ü__']) {
      expect(validHandle(handleFromName(name))).toBeDefined();
    }
    expect(handleFromName('Ada Lovelace')).toBe('ada-lovelace');
  });

  it('keeps display names free of control characters', () => {
    expect(validDisplayName('  Ada\u0000 Lovelace ')).toBe('Ada Lovelace');
    expect(validDisplayName('   ')).toBeUndefined();
    expect(validDisplayName('x'.repeat(101))).toBeUndefined();
  });
});
