import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@chat/runtime';
import { createRoomService, type RoomService } from '../src/service.js';
import {
  createTopic,
  deleteTopic,
  dropDatabase,
  testConfig,
  testMongoUrl,
  tokenFor,
} from './support/infra.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Every route of the API, with `:id` where a path parameter goes and, when it takes a JSON body, one with a lone surrogate. */
const ROUTES: { method: Method; path: string; body?: string }[] = [
  { method: 'POST', path: '/v1/rooms', body: '{"name":"x\\ud800"}' },
  { method: 'GET', path: '/v1/rooms' },
  { method: 'GET', path: '/v1/rooms/:id' },
  { method: 'PATCH', path: '/v1/rooms/:id', body: '{"name":"\\udc00\\ud800"}' },
  { method: 'POST', path: '/v1/rooms/:id/archive' },
  { method: 'POST', path: '/v1/rooms/:id/members', body: '{"userId":"u\\ud800"}' },
  { method: 'DELETE', path: '/v1/rooms/:id/members/:id' },
  { method: 'PUT', path: '/v1/rooms/:id/blocked-senders/:id' },
  { method: 'DELETE', path: '/v1/rooms/:id/blocked-senders/:id' },
  { method: 'POST', path: '/v1/rooms/:id/leave' },
];

const EVIL = '<img src=x onerror=alert(1)>';
const BAD_PERCENT = '%E0%A4%A';

/** The documented error body: exactly `{ error: { code, message, retryable[, details] } }`, echoing nothing. */
function expectErrorBody(raw: string, status: number, expected: number[]) {
  expect(expected).toContain(status);
  const body = JSON.parse(raw) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(
    expect.arrayContaining(['code', 'message', 'retryable']) as unknown as string[],
  );
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  expect(typeof body.error.retryable).toBe('boolean');
  for (const key of Object.keys(body.error))
    expect(['code', 'message', 'retryable', 'details']).toContain(key);
  expect(raw).not.toContain('<img');
  expect(raw).not.toContain('kkkkkkkk');
}

describe('the room API answers bad requests with the documented error body, on every route', () => {
  const mongoUrl = testMongoUrl();
  let topic: string;
  let service: RoomService;
  let token: string;

  beforeAll(async () => {
    topic = await createTopic();
    const config = testConfig(mongoUrl, topic, { HTTP_BODY_LIMIT_BYTES: '2048' });
    service = await createRoomService({ config, logger: createLogger('room-test', 'error') });
    await service.start();
    token = await tokenFor(config, 'alice');
  });
  afterAll(async () => {
    await service?.stop();
    await dropDatabase(mongoUrl);
    await deleteTopic(topic);
  });

  const call = async (method: Method, url: string, payload?: string, contentType = 'application/json') => {
    const response = await service.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload === undefined ? {} : { 'content-type': contentType }),
      },
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: response.statusCode, raw: response.body };
  };

  for (const route of ROUTES) {
    const withId = (id: string) => route.path.replaceAll(':id', id);
    const cases: { name: string; url: string; payload?: string; type?: string; expected: number[] }[] = [];
    if (route.path.includes(':id')) {
      cases.push({ name: 'a malformed percent-encoding', url: withId(BAD_PERCENT), expected: [400] });
      cases.push({
        name: 'markup in a path parameter',
        url: withId(encodeURIComponent(EVIL)),
        expected: [400],
      });
    } else {
      cases.push({
        name: 'a malformed percent-encoding in the query',
        url: `${route.path}?after=${BAD_PERCENT}`,
        expected: [400],
      });
    }
    if (route.body !== undefined) {
      const url = withId('room-1');
      cases.push(
        { name: 'bad JSON', url, payload: '{"name": ', expected: [400] },
        { name: 'a wrong content type', url, payload: 'name=x', type: 'text/plain', expected: [415] },
        {
          name: 'an oversized body',
          url,
          payload: JSON.stringify({ name: 'k'.repeat(5000) }),
          expected: [413],
        },
        { name: 'an own __proto__ key', url, payload: '{"name":"x","__proto__":{"a":1}}', expected: [400] },
        {
          name: 'an unknown key with markup',
          url,
          payload: JSON.stringify({ name: 'x', [EVIL + 'k'.repeat(400)]: 1 }),
          expected: [400],
        },
        {
          name: 'a lone surrogate',
          url,
          payload: route.body,
          expected: [400],
        },
      );
    }
    for (const testCase of cases) {
      it(`${route.method} ${route.path}: ${testCase.name}`, async () => {
        const { status, raw } = await call(route.method, testCase.url, testCase.payload, testCase.type);
        expectErrorBody(raw, status, testCase.expected);
      });
    }
  }
});
