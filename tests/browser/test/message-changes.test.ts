import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, messageTexts, openRoom, signIn, typeAndSend, type Person } from './browser.js';
import { TestPlatform } from './platform.js';

const platform = new TestPlatform();
let browser: Browser;
let ann: Person;
let ben: Person;
const suffix = platform.id.slice(-6);
const roomName = `Edits ${suffix}`;

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

describe('editing and deleting a message in the page, two people', () => {
  it('an edit and a delete are seen live by the other person and again after a reload', async () => {
    await ann.page.getByLabel('Room name').fill(roomName);
    await ann.page.getByLabel('Invite (names, comma separated)').fill(`Ben-${suffix}`);
    await ann.page.getByRole('button', { name: 'Create room' }).click();
    await ann.page.getByRole('heading', { name: roomName }).waitFor();
    await openRoom(ben, roomName);
    await typeAndSend(ann.page, 'Meet at 10');
    await typeAndSend(ann.page, 'Wrong room, sorry');
    await ben.page.locator('.message .text', { hasText: 'Wrong room, sorry' }).waitFor();

    // Ben may neither edit nor delete Ann's messages: the page offers him nothing.
    const bensView = ben.page.locator('.message', { hasText: 'Meet at 10' });
    await expect(bensView.getByRole('button', { name: 'Edit' }).count()).resolves.toBe(0);
    await expect(bensView.getByRole('button', { name: 'Delete' }).count()).resolves.toBe(0);

    const first = ann.page.locator('.message.own', { hasText: 'Meet at 10' });
    await first.getByRole('button', { name: 'Edit' }).click();
    await ann.page.getByLabel('Edit message').fill('Meet at 11');
    await ann.page.getByRole('button', { name: 'Save' }).click();

    ann.page.once('dialog', (dialog) => void dialog.accept());
    await ann.page
      .locator('.message.own', { hasText: 'Wrong room, sorry' })
      .getByRole('button', { name: 'Delete' })
      .click();

    for (const person of [ben, ann]) {
      await person.page.locator('.message', { hasText: 'Meet at 11' }).locator('.edited').waitFor();
      await person.page.locator('.message .text.deleted', { hasText: 'Message deleted' }).waitFor();
      expect(await messageTexts(person.page)).toEqual(['Meet at 11', 'Message deleted']);
    }

    await ben.page.reload();
    await ben.page.locator('.connection[data-state="online"]').waitFor();
    await openRoom(ben, roomName);
    await ben.page.locator('.message', { hasText: 'Meet at 11' }).locator('.edited').waitFor();
    expect(await messageTexts(ben.page)).toEqual(['Meet at 11', 'Message deleted']);
    expect(await ben.page.locator('.message', { hasText: 'Wrong room, sorry' }).count()).toBe(0);
  });
});
