import { test, expect, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { waitForHydration } from "./support";

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
  await expect(page.getByTestId("order-preview")).toContainText("You hold 2 shares of AAPL");
  await page.getByLabel("Shares").fill("1");
  await page.getByRole("button", { name: "Confirm sale of 1 AAPL" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Sold 1 AAPL" })).toBeVisible();

  await page.goto("/dashboard");
  const holdings = page.getByTestId("holdings");
  await expect(holdings.getByRole("row", { name: /AAPL/ })).toContainText("1");
  await expect(page.getByRole("img", { name: /^By holding: AAPL \d+\.\d\d%, Cash \d+\.\d\d%$/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /^By sector: Information Technology/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Portfolio value: from \$10,000\.00 to / })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("dashboard.png"), fullPage: true });

  // The ledger: both trades, newest first; filters; the CSV download.
  await page.goto("/history");
  await waitForHydration(page);
  const ledger = page.getByTestId("ledger");
  await expect(ledger.getByRole("row")).toHaveCount(3);
  await expect(ledger.getByRole("row").nth(1)).toContainText("Sell");
  await expect(ledger.getByRole("row").nth(2)).toContainText("Buy");
  await page.getByLabel("Side").selectOption("buy");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/side=buy/);
  await expect(ledger.getByRole("row")).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath("history.png"), fullPage: true });
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^papertrade-trades-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile(await download.path(), "utf8")).trim().split(/\r?\n/);
  expect(csv).toHaveLength(3);
  expect(csv[1]).toMatch(/^[^,]+,AAPL,sell,1,/);
  expect(csv[2]).toMatch(/^[^,]+,AAPL,buy,2,/);

  // Starting over asks for confirmation, then opens a fresh portfolio with an empty ledger.
  await page.goto("/account");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Reset portfolio" }).click();
  await expect(page.getByText("Tick the box to confirm")).toBeVisible();
  await page.getByLabel("I understand that my holdings and trades will be put away").check();
  await page.getByRole("button", { name: "Reset portfolio" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText("No holdings yet")).toBeVisible();
  await expect(page.getByTestId("portfolio-summary")).toContainText("$10,000.00");
  await page.goto("/history");
  await expect(page.getByText("No trades yet")).toBeVisible();
});
