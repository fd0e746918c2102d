import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientToServerEvents, SendAck, ServerToClientEvents } from '@chat/contracts';
import { waitFor } from '@chat/testkit';
import type { Browser } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, messageTexts, openRoom, signIn, typeAndSend, type Person } from './browser.js';
import { REPORTS_DIR, TestPlatform } from './platform.js';

const platform = new TestPlatform();
let browser: Browser;
let ann: Person;
let ben: Person;
const suffix = platform.id.slice(-6);
const roomName = `Plans ${suffix}`;
const sent: string[] = [];
/** What the page asks per history page (HISTORY_PAGE in the client). */
const PAGE = 30;

beforeAll(async () => {
  await platform.start();
  browser = await launchChromium();
  ann = await signIn(browser, platform.chatUrl, `ann-${suffix}`);
  ben = await signIn(browser, platform.chatUrl, `ben-${suffix}`);
});

afterAll(async () => {
  await browser?.close();
  await platform.stop();
});

describe('the chat page, two people on the whole platform', () => {
  it('creates a room, invites by name, exchanges messages with typing, presence and ticks', async () => {
    await ann.page.getByLabel('Room name').fill(roomName);
    await ann.page.getByLabel('Invite (names, comma separated)').fill(`Ben-${suffix}`);
    await ann.page.getByRole('button', { name: 'Create room' }).click();
    await ann.page.getByRole('heading', { name: roomName }).waitFor();
    // Ben's page finds the room he was invited to by itself.
    await openRoom(ben, roomName);
    // Ann was online before Ben came: the resume's snapshot says so before she does anything.
    await ben.page.locator(`.members li[data-user-id="ann-${suffix}"][data-online="true"]`).waitFor();

    // Typing shows on the other side before the message is sent.
    await ann.page.getByLabel('Message', { exact: true }).pressSequentially('Hello Ben', { delay: 30 });
    await ben.page
      .getByTestId('typing')
      .filter({ hasText: `ann-${suffix} is typing…` })
      .waitFor();
    await ann.page.getByLabel('Message', { exact: true }).press('Enter');
    sent.push('Hello Ben');

    await ben.page.locator('.message .text', { hasText: 'Hello Ben' }).waitFor();
    // Ben has the room on screen, so Ann's tick turns to read.
    await ann.page.locator('.message.own[data-status="read"]', { hasText: 'Hello Ben' }).waitFor();
    await expect(ben.page.getByTestId('typing').textContent()).resolves.toBe('');

    await ben.page.getByLabel('Message', { exact: true }).pressSequentially('Hi Ann!', { delay: 30 });
    await ann.page
      .getByTestId('typing')
      .filter({ hasText: `ben-${suffix} is typing…` })
      .waitFor();
    await ben.page.getByLabel('Message', { exact: true }).press('Enter');
    sent.push('Hi Ann!');
    await ann.page.locator('.message .text', { hasText: 'Hi Ann!' }).waitFor();
    await ben.page.locator('.message.own[data-status="read"]', { hasText: 'Hi Ann!' }).waitFor();

    // Ben joined after Ann: Ann heard him come online.
    await ann.page.locator(`.members li[data-user-id="ben-${suffix}"][data-online="true"]`).waitFor();
    expect(await messageTexts(ann.page)).toEqual(sent);
    expect(await messageTexts(ben.page)).toEqual(sent);

    await typeAndSend(ann.page, 'Lunch at 12:30? The usual place by the river.');
    await typeAndSend(ben.page, 'Sounds good, see you there!');
    sent.push('Lunch at 12:30? The usual place by the river.', 'Sounds good, see you there!');
    await ann.page.locator('.message.own[data-status="read"]', { hasText: 'Lunch at 12:30?' }).waitFor();
    await ann.page.locator('.message .text', { hasText: 'see you there' }).waitFor();
    mkdirSync(REPORTS_DIR, { recursive: true });
    await ann.page.screenshot({ path: join(REPORTS_DIR, 'chat-view.png') });
  });

  it('brings back 20 messages missed while offline, once each, in order, without a reload', async () => {
    await ben.page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await ben.context.setOffline(true);
    await ben.page.locator('.connection[data-state="offline"]').waitFor();

    const burst = Array.from({ length: 20 }, (_, index) => `missed ${index + 1}`);
    for (const text of burst) await typeAndSend(ann.page, text);
    sent.push(...burst);
    // All 20 durable on Ann's side (positions assigned) before Ben comes back.
    await waitFor(
      'Ann to hold all 20 as durable messages',
      async () => (await messageTexts(ann.page)).length === sent.length,
      {
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
    expect(await messageTexts(ben.page)).not.toContain('missed 1');

    await ben.context.setOffline(false);
    await waitFor('Ben to catch up', async () => (await messageTexts(ben.page)).length === sent.length, {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    await ben.page.locator('.connection[data-state="online"]').waitFor();
    expect(await messageTexts(ben.page)).toEqual(sent);
    expect(await messageTexts(ann.page)).toEqual(sent);
    expect(
      await ben.page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument),
    ).toBe(true);
    // Ben's page is on the room, so Ann's last message is read.
    await ann.page
      .locator('.message.own[data-status="read"]')
      .filter({ has: ann.page.getByText('missed 20', { exact: true }) })
      .waitFor();
  });

  it('keeps the history over a reload and loads older pages when scrolling back', async () => {
    // Enough history for several pages, sent through the gateway's socket API as Ann.
    const roomId = await ann.page.locator('.room.current').getAttribute('data-room-id');
    const token = await ann.page.evaluate(
      () => JSON.parse(sessionStorage.getItem('chat:session')!).token as string,
    );
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(platform.chatUrl, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
    });
    const older = Array.from({ length: 2 * PAGE }, (_, index) => `history ${index + 1}`);
    for (const [index, text] of older.entries()) {
      const request = { roomId: roomId!, clientMessageId: `${suffix}-history-${index}`, text };
      let reply: SendAck;
      for (;;) {
        reply = await socket.timeout(15_000).emitWithAck('send', request);
        // Faster than a person types: the per-user limit (or a busy gateway) may say wait, as it would to any client.
        if (!('error' in reply) || !reply.error.retryable) break;
        const waitMs = reply.error.retryAfterMs ?? 100;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
      expect(reply).not.toHaveProperty('error');
    }
    socket.disconnect();
    sent.push(...older);
    await waitFor(
      'Ben to receive the history live',
      async () => (await messageTexts(ben.page)).length === sent.length,
      {
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );

    await ben.page.reload();
    await ben.page.locator('.connection[data-state="online"]').waitFor();
    await openRoom(ben, roomName);
    await ben.page.locator('.message .text', { hasText: `history ${2 * PAGE}` }).waitFor();
    const firstPage = await messageTexts(ben.page);
    expect(firstPage.length).toBeLessThan(sent.length);
    expect(firstPage).toEqual(sent.slice(-firstPage.length));

    await waitFor(
      'scroll-back to reach the first message',
      async () => {
        await ben.page.locator('.messages').evaluate((element) => (element.scrollTop = 0));
        return (await messageTexts(ben.page)).length === sent.length;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    expect(await messageTexts(ben.page)).toEqual(sent);
    await ben.page.getByText('Start of the conversation').waitFor();
  });
});
