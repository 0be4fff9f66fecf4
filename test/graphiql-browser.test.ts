// GraphiQL in a real browser with no way out of the machine: the page, its editors and their workers
// come from the product itself, the headers editor shows where the token goes, and a query with a
// token returns data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../app/server.ts';
import { type OfflineBrowser, openOfflineBrowser } from './support/browser.ts';
import { serveTenant } from './support/http.ts';
import { openTestTenant, type TestTenant } from './support/tenant.ts';

let tenant: TestTenant;
let app: HttpApp;
let browser: OfflineBrowser;
let ada: string;

/** What an editor shows; Monaco draws spaces as non-breaking ones. */
const shown = async (editor: { innerText(): Promise<string> }) => (await editor.innerText()).replace(/\u00a0/g, ' ');

beforeAll(async () => {
  tenant = await openTestTenant();
  ada = await tenant.token({ email: 'ada@contoso.com' });
  app = await serveTenant(tenant);
  browser = await openOfflineBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close(0);
  await tenant?.close();
});

describe('GraphiQL offline', () => {
  it('renders its editors with the Authorization hint and runs a query with a token', async () => {
    const page = await browser.context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${app.url}/graphql`);
    await expect.poll(() => page.title()).toBe('Portal provisioning API');

    const query = page.locator('.graphiql-query-editor');
    await query.locator('.view-lines').waitFor({ timeout: 30_000 });
    await expect.poll(() => shown(query), { timeout: 30_000 }).toContain('viewer { kind name scopes }');
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await expect.poll(() => shown(headers), { timeout: 30_000 }).toContain('"Authorization": "Bearer <token>"');

    // The hint replaced by a real token, as a person pastes it.
    await headers.locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(JSON.stringify({ Authorization: `Bearer ${ada}` }));
    expect(await shown(headers)).toContain(`{"Authorization":"Bearer ${ada}"}`);
    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    await expect.poll(() => shown(response), { timeout: 30_000 }).toContain('Ada Lovelace');
    expect(await shown(response)).toContain('"totalCount": 0');

    expect(browser.blocked).toEqual([]);
    expect(failures).toEqual([]);
    await page.close();
  }, 120_000);
});
