import { test, expect, type Page } from "@playwright/test";

async function waitForHydration(page: Page) {
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((r) => r.name.endsWith(".wasm")));
  await page.waitForLoadState("networkidle");
}

test("find a stock, preview and buy, see the dashboard change, then sell", async ({ page }, testInfo) => {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Try it as a guest" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText("No holdings yet")).toBeVisible();

  await page.goto("/markets");
  await waitForHydration(page);
  await page.getByLabel("Search by symbol or company").fill("apple");
  const table = page.getByTestId("market-table");
  await expect(table.getByRole("row")).toHaveCount(2);
  await table.getByRole("link", { name: "AAPL" }).click();

  await expect(page.getByRole("heading", { name: /Apple Inc/ })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("Shares").fill("2");
  await expect(page.getByTestId("order-preview")).toContainText("Costs about $");
  await expect(page.getByTestId("order-preview")).toContainText("you would hold 2 shares");
  await page.screenshot({ path: testInfo.outputPath("stock-page.png"), fullPage: true });
  await page.getByRole("button", { name: "Confirm purchase of 2 AAPL" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Bought 2 AAPL" })).toBeVisible();

  await page.getByLabel("Sell").check();
  await page.getByLabel("Shares").fill("5");
  await expect(page.getByTestId("order-preview")).toContainText("you hold 2 shares of AAPL");
  await page.getByLabel("Shares").fill("1");
  await page.getByRole("button", { name: "Confirm sale of 1 AAPL" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Sold 1 AAPL" })).toBeVisible();

  await page.goto("/dashboard");
  const holdings = page.getByTestId("holdings");
  await expect(holdings.getByRole("row", { name: /AAPL/ })).toContainText("1");
  await page.screenshot({ path: testInfo.outputPath("dashboard.png"), fullPage: true });
});
