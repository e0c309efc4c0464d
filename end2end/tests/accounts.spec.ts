import { test, expect } from "@playwright/test";
import { openAccountMenu, uniqueUser, waitForHydration } from "./support";

const PASSWORD = "a long practice passphrase";

test("sign up, log out and log in again", async ({ page, isMobile }) => {
  const user = uniqueUser("ada");
  await page.goto("/signup");
  await waitForHydration(page);

  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: `Hello, ${user.username}` })).toBeVisible();
  await expect(page.getByTestId("portfolio-summary")).toContainText("$10,000.00");

  await openAccountMenu(page, isMobile);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await openAccountMenu(page, isMobile);
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard|\/login\?next=\/dashboard/);
  await waitForHydration(page);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill("not my password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: `Hello, ${user.username}` })).toBeVisible();
});

test("a guest turns into a real account and keeps the portfolio", async ({ page }) => {
  const user = uniqueUser("grace");
  await page.goto("/login");
  await waitForHydration(page);

  await page.getByRole("button", { name: "Try it as a guest" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("note")).toContainText("trying Papertrade as a guest");
  await page.getByRole("link", { name: "create an account" }).click();
  await expect(page.getByRole("heading", { name: "Keep your portfolio" })).toBeVisible();
  await waitForHydration(page);

  const keep = page.locator(".settings-card").filter({ hasText: "Keep your portfolio" });
  await keep.getByLabel("Email").fill(user.email);
  await keep.getByLabel("Username").fill(user.username);
  await keep.getByLabel("Password").fill(PASSWORD);
  await keep.getByRole("button", { name: "Create my account" }).click();

  await expect(page.getByText("Signed in with: Email and password")).toBeVisible();
  await page.goto("/dashboard");
  await expect(page.getByRole("note")).toHaveCount(0);
  await expect(page.getByTestId("portfolio-summary")).toContainText("$10,000.00");
});

test("sign in with Google through a real OpenID Connect server and land on the dashboard", async ({
  page,
  isMobile,
}) => {
  await page.goto("/login?next=/dashboard");
  await waitForHydration(page);

  await page.getByRole("link", { name: "Continue with Google" }).click();

  // Papertrade → the provider's /authorize (PKCE, state) → back to /auth/google/callback → dashboard.
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: /^Hello, Grace/ })).toBeVisible();
  await expect(page.getByTestId("portfolio-summary")).toContainText("$10,000.00");

  await page.goto("/account");
  await expect(page.getByText("Signed in with: Google")).toBeVisible();
  await expect(page.locator(".connections")).toContainText("Connected on");
  await openAccountMenu(page, isMobile);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("a guest keeps the portfolio by connecting Google", async ({ page }) => {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Try it as a guest" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/account");

  await page.getByRole("link", { name: "Connect Google" }).click();

  // The click leaves /account and comes back to it: the sign-in line is what shows the return.
  await expect(page.getByText("Signed in with: Google")).toBeVisible();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator(".connections")).toContainText("Connected on");
});
