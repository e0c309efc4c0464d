import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./support";

/** Collects console errors and failed requests so a test can assert the page loaded cleanly. */
function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  return errors;
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the landing page is complete as server-rendered HTML", async ({ page }) => {
    await page.goto("/");

    await expect(page).toHaveTitle("Papertrade");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Learn to invest by doing — without risking a cent.");
    const figures = page.getByTestId("platform-figures");
    await expect(figures.getByText("Learners")).toBeVisible();
    // Other tests add accounts to the same database, so only the shape of the figure is fixed.
    await expect(figures).toContainText(/Virtual cash in play\$\d{1,3}(,\d{3})*\.\d{2}/);
    await expect(page.getByRole("contentinfo")).toContainText("nothing here is financial advice");
  });
});

test("the position calculator reacts to typing once hydrated", async ({ page }) => {
  const errors = watchForErrors(page);
  await page.goto("/");
  await waitForHydration(page);
  const result = page.locator(".calculator-result");
  await expect(result).toContainText("52 shares for $9,854.00");

  await page.getByLabel("Share price").fill("1000");
  await expect(result).toContainText("10 shares for $10,000.00");

  await page.getByLabel("Cash to invest").fill("12.345");
  await expect(page.getByText("Amounts have at most two decimal places (whole cents)")).toBeVisible();
  await expect(page.getByLabel("Cash to invest")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Cash to invest").fill("500");
  await expect(result).toContainText("Not enough for one share yet");
  expect(errors).toEqual([]);
});

test("the header navigation reaches every landing section", async ({ page, isMobile }) => {
  await page.goto("/");
  await waitForHydration(page);
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Primary" });

  if (isMobile) {
    await expect(nav).toBeHidden();
    await menu.click();
    await expect(page.getByRole("button", { name: "Close" })).toHaveAttribute("aria-expanded", "true");
  } else {
    await expect(menu).toBeHidden();
  }
  await nav.getByRole("link", { name: "How it works" }).click();

  await expect(page).toHaveURL(/#how-it-works$/);
  await expect(page.getByRole("heading", { name: "Three steps from curious to confident" })).toBeInViewport();
  if (isMobile) await expect(nav).toBeHidden();
});

test("an unknown address shows the 404 page", async ({ page }) => {
  const response = await page.goto("/no-such-page");

  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page is not on the market" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the landing page has no accessibility violations in ${colorScheme} mode`, async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme });
    await page.goto("/");
    await waitForHydration(page);

    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();

    await page.screenshot({ path: testInfo.outputPath(`landing-${colorScheme}.png`), fullPage: true, scale: "css" });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
  });
}
