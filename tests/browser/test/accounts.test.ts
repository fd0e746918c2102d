import type { ClientToServerEvents, ServerToClientEvents } from '@chat/contracts';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@chat/infra/private-servers';
import { CHAT_ENV, IDENTITY_ENV } from '@chat/service-env';
import { launchChromium, openRoom, typeAndSend } from './browser.js';
import { startTestProvider, ssoEnv, type TestProvider } from './openid-provider.js';
import { TestPlatform } from './platform.js';

/**
 * The platform as deployed: no development sign-in, accounts of the
 * identity service, tokens checked by JWKS, and single sign-on with a real
 * OpenID Provider run in this process.
 */
const identityPort = await freePort();
const provider: TestProvider = await startTestProvider(identityPort);
const platform = new TestPlatform({
  devSignIn: false,
  identityPort,
  identityEnv: {
    [IDENTITY_ENV.signInFailuresPerHandle.name]: '3',
    [IDENTITY_ENV.signInWindowSeconds.name]: '120',
    ...ssoEnv(provider),
  },
  chatEnv: { [CHAT_ENV.ssoLabel.name]: 'Test SSO' },
});
let browser: Browser;
const suffix = platform.id
  .slice(-6)
  .toLowerCase()
  .replace(/[^a-z0-9]/g, 'x');
const PASSWORD = 'a long enough passphrase';

interface Account {
  page: Page;
  userId: string;
  token: string;
}

async function freshPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  await page.goto(platform.chatUrl);
  return page;
}

async function stored(page: Page): Promise<{ userId: string; token: string }> {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('chat:session') ?? '{}') as never);
}

async function signUp(handle: string, displayName: string): Promise<Account> {
  const page = await freshPage();
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('.connection[data-state="online"]').waitFor();
  return { page, ...(await stored(page)) };
}

async function signInFails(page: Page, handle: string, password: string): Promise<string> {
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(password);
  const alert = page.locator('form[aria-label="Sign in"] [role="alert"]');
  const before = await alert.count();
  if (before) await alert.evaluate((element) => element.remove());
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await alert.waitFor();
  return (await alert.textContent()) ?? '';
}

function connectWith(token: string): Promise<string | undefined> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(platform.chatUrl, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve(undefined);
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      resolve((error as { data?: { error?: { code: string } } }).data?.error?.code);
    });
  });
}

let ann: Account;
let ben: Account;

beforeAll(async () => {
  await platform.start();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await platform.stop();
  provider.close();
});

describe('accounts on the chat page, as deployed', () => {
  it('two people sign up and chat by display names, never ids', async () => {
    ann = await signUp(`ann-${suffix}`, 'Ann Example');
    ben = await signUp(`ben-${suffix}`, 'Ben Sample');
    await expect(ann.page.locator('.profile .me').textContent()).resolves.toContain('Ann Example');

    await ann.page.getByLabel('Room name').fill(`Accounts ${suffix}`);
    await ann.page.getByLabel('Invite (handles, comma separated)').fill(`Ben-${suffix}`);
    await ann.page.getByRole('button', { name: 'Create room' }).click();
    await ann.page.getByRole('heading', { name: `Accounts ${suffix}` }).waitFor();
    await openRoom({ context: ben.page.context(), page: ben.page, userId: ben.userId }, `Accounts ${suffix}`);

    await ben.page.locator(`.members li[data-user-id="${ann.userId}"]`, { hasText: 'Ann Example' }).waitFor();
    await ann.page.locator(`.members li[data-user-id="${ben.userId}"]`, { hasText: 'Ben Sample' }).waitFor();
    await ann.page.getByLabel('Message', { exact: true }).pressSequentially('Hello Ben', { delay: 30 });
    await ben.page.getByTestId('typing').filter({ hasText: 'Ann Example is typing…' }).waitFor();
    await ann.page.getByLabel('Message', { exact: true }).press('Enter');
    await ben.page
      .locator('.message', { hasText: 'Hello Ben' })
      .locator('.sender', { hasText: 'Ann Example' })
      .waitFor();
    const shown = await ben.page.locator('.chat-view').textContent();
    expect(shown).not.toContain(ann.userId);
  });

  it('a rename shows on the other side', async () => {
    await typeAndSend(ben.page, 'Hi Ann');
    await ann.page.locator('.message .sender', { hasText: 'Ben Sample' }).waitFor();
    await ben.page.locator('.profile .me').click();
    await ben.page.getByLabel('Display name').fill('Benjamin Renamed');
    await ben.page.getByRole('button', { name: 'Save' }).click();
    await ben.page.locator('.profile .me', { hasText: 'Benjamin Renamed' }).waitFor();
    // The rename notice reaches Ann's page at once (no reload, well inside the names' TTL).
    await ann.page.locator('.message .sender', { hasText: 'Benjamin Renamed' }).waitFor({ timeout: 10_000 });
    await ann.page
      .locator(`.members li[data-user-id="${ben.userId}"]`, { hasText: 'Benjamin Renamed' })
      .waitFor();
  });

  it('a reload keeps the session through the refresh cookie', async () => {
    await ann.page.evaluate(() => sessionStorage.clear());
    await ann.page.reload();
    await ann.page.locator('.connection[data-state="online"]').waitFor();
    ann = { ...ann, ...(await stored(ann.page)) };
  });

  it('a wrong password and a throttled flood get clear answers that do not tell whether the handle exists', async () => {
    const page = await freshPage();
    const wrong = await signInFails(page, `ann-${suffix}`, 'not her password');
    const unknown = await signInFails(page, `nobody-${suffix}`, 'not her password');
    expect(wrong).toBe(unknown);
    expect(wrong).toContain('the handle or the password is not right');
    await signInFails(page, `ann-${suffix}`, 'not her password');
    await signInFails(page, `ann-${suffix}`, 'not her password');
    const throttled = await signInFails(page, `ann-${suffix}`, PASSWORD);
    expect(throttled).toMatch(/too many sign-in attempts; try again in \d+ seconds/);
    await page.context().close();
  });

  it('signing out ends the session: the page returns to sign-in and its token is refused by the socket', async () => {
    const token = ann.token;
    await expect(connectWith(token)).resolves.toBeUndefined();
    await ann.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await ann.page.getByRole('button', { name: 'Create an account' }).waitFor();
    await expect(connectWith(token)).resolves.toBe('AUTH_INVALID');
    // The refresh cookie is gone too: a reload stays signed out.
    await ann.page.reload();
    await ann.page.getByRole('button', { name: 'Create an account' }).waitFor();
  });

  it('single sign-on: the whole code flow through the page makes a new person an account named after them', async () => {
    const login = `olivia${suffix}`;
    const page = await freshPage();
    await page.getByRole('link', { name: 'Sign in with Test SSO' }).click();
    // oidc-provider's development login and consent pages.
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]', { hasText: /continue/i }).click();

    await page.locator('.connection[data-state="online"]').waitFor();
    const me = await page.locator('.profile .me').textContent();
    expect(me).toContain(`Olivia ${login}`);
    expect(me).toContain(`@${login}`);
    expect((await stored(page)).userId).toMatch(/^oidc-/);
    // Others find the new account by its handle (Ben is a plain member, so he may message, not invite).
    await ben.page.getByLabel('Message someone by handle').fill(login.slice(0, 6));
    await expect
      .poll(() =>
        ben.page
          .locator('#direct-suggestions option')
          .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
      )
      .toContain(login);
    await page.context().close();
  });
});
