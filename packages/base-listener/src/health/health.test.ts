import { describe, expect, it } from 'vitest';
import { ListenerEvents } from '../listener/events.js';
import { HealthTracker } from './health.js';

describe('HealthTracker', () => {
  it('reports down until connected, degraded while paused or the breaker is open, up otherwise', () => {
    const events = new ListenerEvents();
    const health = new HealthTracker(events, { listener: 'persister', groupId: 'g', breakerEnabled: true });
    expect(health.snapshot()).toMatchObject({ status: 'down', connected: false, breaker: 'closed' });

    events.emit('connection', { connected: true, reason: 'joined' });
    expect(health.snapshot().status).toBe('up');

    events.emit('breaker', { state: 'open' });
    events.emit('paused', { paused: true, topics: ['t'] });
    expect(health.snapshot()).toMatchObject({ status: 'degraded', paused: true, breaker: 'open' });

    events.emit('breaker', { state: 'closed' });
    events.emit('paused', { paused: false, topics: [] });
    expect(health.snapshot().status).toBe('up');
  });

  it('sums lag and remembers the last success', () => {
    const events = new ListenerEvents();
    const health = new HealthTracker(events, { listener: 'l', groupId: 'g', breakerEnabled: false });
    events.emit('lag', {
      partitions: [
        { topic: 't', partition: 0, logEnd: 10, committed: 7, lag: 3 },
        { topic: 't', partition: 1, logEnd: 5, committed: 5, lag: 0 },
      ],
    });
    events.emit('delivery', { topic: 't', partition: 0, offset: '7', result: 'success', durationMs: 3 });
    const snapshot = health.snapshot();
    expect(snapshot.lag.total).toBe(3);
    expect(snapshot.breaker).toBe('disabled');
    expect(snapshot.lastSuccessAt).toBeDefined();
  });
});
