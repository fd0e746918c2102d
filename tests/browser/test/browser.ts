import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; `bin/test` installs it when missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: run bin/test (it installs it) or apt-get install -y chromium`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/** One person: their own browser context (cookies, storage, network), signed in by name on the chat page. */
export interface Person {
  context: BrowserContext;
  page: Page;
  userId: string;
}

export async function signIn(browser: Browser, chatUrl: string, name: string): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  await page.goto(chatUrl);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Sign in by name' }).click();
  await page.locator('.connection[data-state="online"]').waitFor();
  return { context, page, userId: name };
}

/** Texts of the durable messages on screen, top to bottom. */
export function messageTexts(page: Page): Promise<string[]> {
  return page.locator('.message:not(.pending) .text').allTextContents();
}

export async function openRoom(person: Person, roomName: string): Promise<void> {
  await person.page.getByRole('button', { name: new RegExp(roomName) }).click();
  await person.page.getByRole('heading', { name: roomName }).waitFor();
}

export async function typeAndSend(page: Page, text: string): Promise<void> {
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill(text);
  await composer.press('Enter');
}
