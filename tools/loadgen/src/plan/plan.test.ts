import { describe, expect, it } from 'vitest';
import { planRooms, roomsOfUsers, senderOf } from './plan.js';
import { openSchedule } from './schedule.js';

describe('planRooms', () => {
  it('fills each room with distinct users and spreads rooms over all users', () => {
    const plan = planRooms(5, 4, 3);
    expect(plan.map(({ members }) => members)).toEqual([
      [0, 1, 2],
      [3, 4, 0],
      [1, 2, 3],
      [4, 0, 1],
    ]);
    for (const { members } of plan) expect(new Set(members).size).toBe(members.length);
    expect(roomsOfUsers(5, plan)[0]).toEqual([0, 1, 3]);
  });

  it('refuses more members than users', () => {
    expect(() => planRooms(2, 1, 3)).toThrow(RangeError);
    expect(() => planRooms(4, 1, 3, 2)).toThrow(RangeError);
  });

  it('in groups, fills each room from one group (one gateway) and still spreads rooms over every user', () => {
    const plan = planRooms(6, 6, 2, 2);
    for (const [room, { members }] of plan.entries()) {
      expect(members.every((user) => user % 2 === room % 2)).toBe(true);
      expect(new Set(members).size).toBe(2);
    }
    expect(new Set(plan.flatMap(({ members }) => members))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });
});

describe('senderOf', () => {
  it('cycles rooms first, then the senders of each room', () => {
    const plan = planRooms(4, 2, 2);
    expect([0, 1, 2, 3, 4].map((i) => senderOf(i, plan))).toEqual([
      { room: 0, user: 0 },
      { room: 1, user: 2 },
      { room: 0, user: 1 },
      { room: 1, user: 3 },
      { room: 0, user: 0 },
    ]);
  });
});

describe('openSchedule', () => {
  it('spaces messages evenly and never offers more than the total', () => {
    const schedule = openSchedule(100, 1_000);
    expect(schedule.total).toBe(100);
    expect(schedule.dueAt(10)).toBe(100);
    expect(schedule.dueBy(-1)).toBe(0);
    expect(schedule.dueBy(0)).toBe(1);
    expect(schedule.dueBy(95)).toBe(10);
    expect(schedule.dueBy(60_000)).toBe(100);
  });
});
