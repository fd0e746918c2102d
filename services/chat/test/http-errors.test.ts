import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@chat/testkit';
import { Harness, rawHttp as raw } from './support.js';

const EVIL = '<img src=x onerror=alert(1)>';
const BAD_PERCENT = '%E0%A4%A';

/** The documented body: exactly `{ error: { code, message, retryable[, details] } }`, echoing nothing. */
function expectErrorBody(reply: { status: number; text: string; type: string }, expected: number[]) {
  expect(expected).toContain(reply.status);
  expect(reply.type).toContain('application/json');
  const body = JSON.parse(reply.text) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  expect(typeof body.error.retryable).toBe('boolean');
  for (const key of Object.keys(body.error))
    expect(['code', 'message', 'retryable', 'details']).toContain(key);
  expect(reply.text).not.toContain('<img');
  expect(reply.text).not.toContain('kkkkkkkk');
}

describe("the gateway's HTTP API answers bad requests with the documented error body, on every route", () => {
  const h = new Harness();
  let port: number;
  let auth: Record<string, string>;
  const alice = uniqueName('alice');

  beforeAll(async () => {
    await h.setUp();
    ({ port } = await h.gateway());
    auth = { authorization: `Bearer ${await h.token(alice)}` };
  });
  afterAll(() => h.tearDown());

  const history = (roomId: string, query = '') => `/v1/rooms/${roomId}/messages${query}`;
  const json = { 'content-type': 'application/json' };
  const cases: {
    name: string;
    method: string;
    path: string;
    body?: string;
    headers?: Record<string, string>;
    expected: number[];
  }[] = [
    {
      name: 'history: a malformed percent-encoding in the room',
      method: 'GET',
      path: history(BAD_PERCENT),
      expected: [400],
    },
    {
      name: 'history: markup as the room',
      method: 'GET',
      path: history(encodeURIComponent(EVIL)),
      expected: [400],
    },
    {
      name: 'history: a malformed percent-encoding in the query',
      method: 'GET',
      path: history('room-1', `?before=${BAD_PERCENT}`),
      expected: [400],
    },
    {
      name: 'history: markup as an unknown query key',
      method: 'GET',
      path: history('room-1', `?${encodeURIComponent(EVIL + 'k'.repeat(400))}=1`),
      expected: [400],
    },
    {
      name: 'history: a bad number',
      method: 'GET',
      path: history('room-1', `?limit=${encodeURIComponent(EVIL)}`),
      expected: [400],
    },
    {
      name: 'dev token: bad JSON',
      method: 'POST',
      path: '/v1/dev/token',
      body: '{"userId": ',
      headers: json,
      expected: [400],
    },
    {
      name: 'dev token: a wrong content type',
      method: 'POST',
      path: '/v1/dev/token',
      body: 'userId=x',
      headers: { 'content-type': 'text/plain' },
      expected: [415],
    },
    {
      name: 'dev token: an oversized body',
      method: 'POST',
      path: '/v1/dev/token',
      body: JSON.stringify({ userId: 'u', name: 'k'.repeat(10_000) }),
      headers: json,
      expected: [413],
    },
    {
      name: 'dev token: an own __proto__ key',
      method: 'POST',
      path: '/v1/dev/token',
      body: '{"userId":"u","name":"n","__proto__":{"a":1}}',
      headers: json,
      expected: [400],
    },
    {
      name: 'dev token: an unknown key with markup',
      method: 'POST',
      path: '/v1/dev/token',
      body: JSON.stringify({ userId: 'u', name: 'n', [EVIL + 'k'.repeat(400)]: 1 }),
      headers: json,
      expected: [400],
    },
    {
      name: 'dev token: a lone surrogate in the name',
      method: 'POST',
      path: '/v1/dev/token',
      body: '{"userId":"u","name":"n\\ud800"}',
      headers: json,
      expected: [400],
    },
    {
      name: 'dev token: a malformed percent-encoding',
      method: 'POST',
      path: `/v1/dev/token?x=${BAD_PERCENT}`,
      body: '{',
      headers: json,
      expected: [400],
    },
    {
      name: 'ops: a malformed percent-encoding',
      method: 'GET',
      path: `/readyz${BAD_PERCENT}`,
      expected: [404],
    },
    {
      name: 'web: a malformed percent-encoding',
      method: 'GET',
      path: `/assets/${BAD_PERCENT}.js`,
      expected: [400, 404],
    },
    { name: 'web: markup in the path', method: 'GET', path: `/${encodeURIComponent(EVIL)}`, expected: [404] },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const reply = await raw(
        port,
        testCase.method,
        testCase.path,
        { ...auth, ...testCase.headers },
        testCase.body,
      );
      expectErrorBody(reply, testCase.expected);
    });
  }

  it('still serves a good request', async () => {
    const reply = await raw(
      port,
      'POST',
      '/v1/dev/token',
      json,
      JSON.stringify({ userId: 'u-1', name: 'Ünïcode 😀' }),
    );
    expect(reply.status).toBe(201);
  });
});
