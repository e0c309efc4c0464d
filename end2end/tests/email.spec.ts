import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { letterTo, linkIn, openAccountMenu, signUp, waitForHydration } from "./support";

const NEW_PASSWORD = "an even longer new passphrase";

test("confirm the email from the letter, forget the password, reset it from another letter", async ({
  page,
  isMobile,
}) => {
  const user = await signUp(page, "mia");

  const banner = page.getByRole("complementary", { name: "Address not confirmed yet" });
  await expect(banner).toContainText(`We sent a link to ${user.email}`);

  // The letter, as it reached a real SMTP server; its link opens the confirmation page.
  const confirmation = await letterTo(user.email, "Confirm your email");
  await page.goto(linkIn(confirmation, "/verify-email"));
  await waitForHydration(page);
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${user.email} is confirmed` })).toBeVisible();
  await expect(banner).toHaveCount(0);
  await page.goto("/account");
  await expect(page.locator(".settings-card").filter({ hasText: "Email" }).first()).toContainText("✓ Confirmed");

  await openAccountMenu(page, isMobile);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.goto("/login");
  await waitForHydration(page);
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "If an account uses that address" })).toBeVisible();

  const reset = await letterTo(user.email, "Reset your Papertrade password");
  await page.goto(linkIn(reset, "/reset-password"));
  await waitForHydration(page);
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Save my new password" }).click();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Save my new password" }).click();

  await expect(page).toHaveURL(/\/login\?reset=done$/);
  await expect(page.getByRole("status").filter({ hasText: "Your new password is saved" })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: `Hello, ${user.username}` })).toBeVisible();
  await expect(banner).toHaveCount(0);

  // The reset link worked once.
  await page.goto(linkIn(reset, "/reset-password"));
  await waitForHydration(page);
  await page.getByLabel("New password").fill("yet another passphrase");
  await page.getByRole("button", { name: "Save my new password" }).click();
  await expect(page.getByRole("alert")).toContainText("This reset link has expired or was already used");
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the pages of a forgotten password have no accessibility violations in ${colorScheme} mode`, async ({
    page,
  }) => {
    // Five pages, each analysed by axe: more than a usual test's work.
    test.setTimeout(60_000);
    await page.emulateMedia({ colorScheme });
    const user = await signUp(page, "axe");
    const confirmation = linkIn(await letterTo(user.email, "Confirm your email"), "/verify-email");

    // Signed in with the banner showing, then each page a forgetful learner passes through.
    const pages = ["/account", confirmation, "/forgot-password", "/reset-password?token=made-up", "/login?reset=done"];
    for (const path of pages) {
      await page.goto(path);
      await waitForHydration(page);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
      const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`);
      expect(found, path).toEqual([]);
    }
  });
}
