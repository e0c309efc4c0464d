import { expect, type Page } from "@playwright/test";

/**
 * Resolves once the WASM bundle has hydrated the page: the loader (src/ui/components/
 * hydrate_after_paint.js) marks `<html data-hydrated>` when `hydrate()` has returned. A client-side
 * navigation keeps the mark, as the page stays hydrated.
 */
export async function waitForHydration(page: Page) {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

/** A unique address per test, so tests never share an account. */
export function uniqueUser(prefix: string) {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { email: `${prefix}-${id}@example.com`, username: `${prefix}-${id}`.slice(0, 30) };
}

/** The password every test account signs up with. */
export const PASSWORD = "a long practice passphrase";

/** A new learner, signed up through the form and landed on the dashboard. */
export async function signUp(page: Page, prefix: string) {
  const user = uniqueUser(prefix);
  await page.goto("/signup");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return user;
}

/** Opens the header's menu on phones, where the account links live behind it. */
export async function openAccountMenu(page: Page, isMobile: boolean) {
  if (isMobile) await page.getByRole("button", { name: "Menu" }).click();
}

type Letter = { from: string; to: string; subject: string; text: string };

/**
 * The newest letter to `address` about `subject`, from the test run's SMTP server process
 * (end2end/mail-server.mjs, started by scripts/e2e.sh), waiting for it to arrive.
 */
export async function letterTo(address: string, subject: string): Promise<Letter> {
  const mailbox = process.env.E2E_MAILBOX_URL ?? "http://127.0.0.1:3128";
  let found: Letter | undefined;
  await expect
    .poll(
      async () => {
        const response = await fetch(`${mailbox}/messages?to=${encodeURIComponent(address)}`);
        const letters: Letter[] = await response.json();
        found = letters.reverse().find((letter) => letter.subject.includes(subject));
        return found !== undefined;
      },
      { message: `a letter about "${subject}" reaches ${address}`, timeout: 10_000 },
    )
    .toBe(true);
  return found!;
}

/** The first link in `letter` to one of our pages (`/verify-email`, `/reset-password`). */
export function linkIn(letter: Letter, page: string): string {
  const link = letter.text.split(/\s+/).find((word) => word.startsWith("http") && word.includes(`${page}?`));
  if (!link) throw new Error(`no ${page} link in: ${letter.text}`);
  return link;
}
