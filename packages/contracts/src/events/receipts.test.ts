import { describe, expect, it } from 'vitest';
import { advanceReceipt, isReceiptAdvance } from './receipts.js';

describe('receipt states', () => {
  it('only move forward: sent → delivered → read', () => {
    expect(isReceiptAdvance(undefined, 'sent')).toBe(true);
    expect(isReceiptAdvance('sent', 'delivered')).toBe(true);
    expect(isReceiptAdvance('sent', 'read')).toBe(true);
    expect(isReceiptAdvance('read', 'delivered')).toBe(false);
    expect(isReceiptAdvance('delivered', 'delivered')).toBe(false);
  });

  it('treat repeats and steps back as no-ops', () => {
    expect(advanceReceipt('read', 'delivered')).toBe('read');
    expect(advanceReceipt('delivered', 'delivered')).toBe('delivered');
    expect(advanceReceipt('delivered', 'read')).toBe('read');
    expect(advanceReceipt(undefined, 'delivered')).toBe('delivered');
  });
});
