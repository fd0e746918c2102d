import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SOCKET_ERRORS } from '@chat/contracts/socket-errors';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, messageTexts, openRoom, signIn, typeAndSend, type Person } from './browser.js';
import { REPORTS_DIR, TestPlatform } from './platform.js';

/**
 * Room management, direct messages, unread counts and the phone layout,
 * three people on the whole platform (development sign-in: a person's id
 * and shown name are their normalised name).
 */
const platform = new TestPlatform();
let browser: Browser;
let ann: Person;
let ben: Person;
let cat: Person;
const suffix = platform.id.slice(-6);
const [annId, benId, catId] = ['ann', 'ben', 'cat'].map((name) => `${name}-${suffix}`) as [
  string,
  string,
  string,
];
const team = `Team ${suffix}`;
const renamed = `Crew ${suffix}`;

const roomButton = (page: Page, name: string) => page.locator('.room-list button.room', { hasText: name });
async function open(person: Person, name: string): Promise<void> {
  await roomButton(person.page, name).click();
  await person.page.getByRole('heading', { name }).waitFor();
}
const member = (page: Page, userId: string) => page.locator(`.members li[data-user-id="${userId}"]`);

beforeAll(async () => {
  await platform.start();
  browser = await launchChromium();
  [ann, ben, cat] = (await Promise.all(
    [annId, benId, catId].map((name) => signIn(browser, platform.chatUrl, name)),
  )) as [Person, Person, Person];
});

afterAll(async () => {
  await browser?.close();
  await platform.stop();
});

describe('managing rooms on the page, three people', () => {
  it('renames, blocks (a refused send is retried once unblocked), removes and leaves, live on the others’ pages', async () => {
    await ann.page.getByLabel('Room name').fill(team);
    await ann.page.getByLabel('Invite (names, comma separated)').fill(`${benId}, ${catId}`);
    await ann.page.getByRole('button', { name: 'Create room' }).click();
    await ann.page.getByRole('heading', { name: team }).waitFor();
    await openRoom(ben, team);
    await openRoom(cat, team);
    // Plain members are offered none of the owner's actions.
    await expect(ben.page.getByRole('button', { name: 'Rename' }).count()).resolves.toBe(0);
    await expect(ben.page.getByRole('button', { name: `Remove ${catId}` }).count()).resolves.toBe(0);

    await ann.page.getByRole('button', { name: 'Rename' }).click();
    await ann.page.getByLabel('New room name').fill(renamed);
    await ann.page.getByRole('button', { name: 'Save name' }).click();
    // Seen by the others at once, on the open room's heading and in the list.
    await ben.page.getByRole('heading', { name: renamed }).waitFor();
    await roomButton(cat.page, renamed).waitFor();

    await ann.page.getByRole('button', { name: `Block ${benId}` }).click();
    await ben.page.locator(`.members li[data-user-id="${benId}"][data-blocked="true"]`).waitFor();
    await typeAndSend(ben.page, 'Can I still talk?');
    const refused = ben.page.locator('.message.pending[data-status="failed"]', {
      hasText: 'Can I still talk?',
    });
    await refused.getByText(SOCKET_ERRORS.SENDER_BLOCKED.message).waitFor();
    await ann.page.getByRole('button', { name: `Unblock ${benId}` }).click();
    await ben.page.locator(`.members li[data-user-id="${benId}"][data-blocked="false"]`).waitFor();
    await refused.getByRole('button', { name: 'Retry' }).click();
    await cat.page.locator('.message .text', { hasText: 'Can I still talk?' }).waitFor();
    await expect.poll(() => messageTexts(ben.page)).toEqual(['Can I still talk?']);
    await expect(ben.page.locator('.message.pending').count()).resolves.toBe(0);

    await ann.page.getByRole('button', { name: `Remove ${catId}` }).click();
    await roomButton(cat.page, renamed).waitFor({ state: 'detached' });
    await cat.page.getByText('Pick a room on the left').waitFor();

    await ben.page.getByRole('button', { name: 'Leave room' }).click();
    await ben.page.getByRole('button', { name: 'Leave now' }).click();
    await roomButton(ben.page, renamed).waitFor({ state: 'detached' });
    await member(ann.page, benId).waitFor({ state: 'detached' });
    // The owner cannot leave: the page does not offer it.
    await expect(ann.page.getByRole('button', { name: 'Leave room' }).count()).resolves.toBe(0);
  });

  it('starts a direct conversation named after the other person; unread counts, a mention and the tab title survive a new session', async () => {
    await ben.page.getByLabel('Message someone by name').fill(annId);
    await ben.page.getByRole('button', { name: 'Message', exact: true }).click();
    await ben.page.getByRole('heading', { name: annId }).waitFor();
    await typeAndSend(ben.page, 'hello');
    // Ann's page lists the room under Ben's name, not the room's.
    await open(ann, benId);
    await ann.page.locator('.message .text', { hasText: 'hello' }).waitFor();
    await ben.page.locator('.message.own[data-status="read"]', { hasText: 'hello' }).waitFor();

    // Ann looks elsewhere; Ben writes twice, once naming her.
    await open(ann, renamed);
    await typeAndSend(ben.page, 'one more, see https://example.org/plan');
    await typeAndSend(ben.page, `@${annId} are you there?`);
    const badge = roomButton(ann.page, benId).locator('.badge:not(.mention)');
    await badge.filter({ hasText: /^2$/ }).waitFor();
    await roomButton(ann.page, benId).locator('.badge.mention', { hasText: '@1' }).waitFor();
    await expect.poll(() => ann.page.title()).toBe('(2) Chat');

    // A new session with nothing stored in the browser: the counts come from the stored read watermark.
    const elsewhere = await signIn(browser, platform.chatUrl, annId);
    await roomButton(elsewhere.page, benId)
      .locator('.badge:not(.mention)')
      .filter({ hasText: /^2$/ })
      .waitFor();
    await expect.poll(() => elsewhere.page.title()).toBe('(2) Chat');
    await open(elsewhere, benId);
    // The marker sits above the first unread message, links are links, her mention is highlighted.
    await elsewhere.page.getByTestId('new-messages').waitFor();
    const markedFirst = elsewhere.page.locator('[data-testid="new-messages"] + .message .text');
    await expect(markedFirst.textContent()).resolves.toContain('one more');
    await expect(
      elsewhere.page.getByRole('link', { name: 'https://example.org/plan' }).getAttribute('href'),
    ).resolves.toBe('https://example.org/plan');
    await elsewhere.page.locator('mark.mention.me', { hasText: `@${annId}` }).waitFor();
    await elsewhere.page.locator('.day-separator', { hasText: 'Today' }).waitFor();
    mkdirSync(REPORTS_DIR, { recursive: true });
    await elsewhere.page.screenshot({ path: join(REPORTS_DIR, 'direct-unread.png') });
    await expect.poll(() => elsewhere.page.title()).toBe('Chat');
    await elsewhere.context.close();
  });

  it('on a phone, shows the room list and the conversation as separate views', async () => {
    await cat.page.setViewportSize({ width: 390, height: 800 });
    // A reload opens no room: the phone shows the room list.
    await cat.page.reload();
    await cat.page.locator('.connection[data-state="online"]').waitFor();
    await cat.page.getByLabel('Room name').fill(`Phone ${suffix}`);
    await cat.page.getByRole('button', { name: 'Create room' }).click();
    await cat.page.getByRole('heading', { name: `Phone ${suffix}` }).waitFor();
    await expect(cat.page.locator('.sidebar').isVisible()).resolves.toBe(false);
    await typeAndSend(cat.page, 'from my phone');
    await cat.page.locator('.message .text', { hasText: 'from my phone' }).waitFor();
    await cat.page.emulateMedia({ colorScheme: 'dark' });
    await cat.page.screenshot({ path: join(REPORTS_DIR, 'phone-dark.png') });
    await cat.page.getByRole('button', { name: '← Rooms' }).click();
    await roomButton(cat.page, `Phone ${suffix}`).waitFor();
    await expect(cat.page.locator('.chat').isVisible()).resolves.toBe(false);
    // The skip link is the keyboard's first stop.
    await cat.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await cat.page.keyboard.press('Tab');
    await expect(cat.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Skip to the conversation',
    );
  });
});
