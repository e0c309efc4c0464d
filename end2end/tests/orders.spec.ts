import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { waitForHydration } from "./support";

// These tests run against the instance whose prices come from end2end/quote-server.mjs (see
// scripts/e2e.sh), so a test can move a price and watch an order fill. Each project trades its
// own symbol: desktop and phone run at the same time against the same prices.
const priced = process.env.E2E_PRICED_URL ?? "http://127.0.0.1:3130";
const quotes = process.env.E2E_QUOTES_URL ?? "http://127.0.0.1:3129";
test.use({ baseURL: priced });

async function setPrice(symbol: string, price: number) {
  const response = await fetch(`${quotes}/prices`, { method: "POST", body: JSON.stringify({ symbol, price }) });
  expect(response.ok).toBe(true);
}

async function signInAsGuest(page: Page) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Try it as a guest" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** The stock page's order form (the open orders' change forms have fields of the same names). */
function orderForm(page: Page, symbol: string) {
  return page.getByRole("form", { name: `Trade ${symbol}` });
}

async function placeLimitBuy(page: Page, symbol: string, shares: number, limit: string) {
  const form = orderForm(page, symbol);
  await form.getByLabel("Order type").selectOption("limit");
  await form.getByLabel("Shares").fill(String(shares));
  await form.getByLabel("Limit price ($)").fill(limit);
  await expect(form.getByTestId("order-preview")).toContainText(
    `If ${symbol} falls to $${limit} or below, buy ${shares} share${shares === 1 ? "" : "s"} at that price or better.`,
  );
  await form.getByRole("button", { name: `Place limit buy of ${shares} ${symbol}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `Limit buy of ${shares} ${symbol} placed` })).toBeVisible();
}

test("a limit buy waits, fills when the price falls to it with a live notice; another is cancelled", async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const symbol = testInfo.project.name === "phone" ? "MSFT" : "AAPL";
  await setPrice(symbol, 100);
  await signInAsGuest(page);

  await page.goto(`/stocks/${symbol}`);
  await waitForHydration(page);
  await expect(page.getByTestId("quote-price")).toHaveText("$100.00");
  const form = orderForm(page, symbol);
  await form.getByLabel("Order type").selectOption("limit");
  await form.getByLabel("Shares").fill("5");
  await form.getByLabel("Limit price ($)").fill("95.00");
  await expect(form.getByTestId("order-preview")).toHaveText(
    `If ${symbol} falls to $95.00 or below, buy 5 shares at that price or better. ` +
      "It holds back $475.00 of your cash until it fills or today's session closes.",
  );
  await page.screenshot({ path: testInfo.outputPath("limit-order-form.png"), fullPage: true });
  await placeLimitBuy(page, symbol, 5, "95.00");
  await placeLimitBuy(page, symbol, 3, "90.00");

  const open = page.getByTestId("open-orders");
  await expect(open.getByRole("listitem")).toHaveCount(2);
  await expect(open).toContainText(`Limit buy of 5 ${symbol}`);
  await expect(page.getByText("cash $10,000.00 ($745.00 held for open orders)")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("open-orders.png"), fullPage: true });

  // The price falls to $94.50: the next matcher round fills the first order, and its notice
  // arrives on the live stream without a reload.
  await setPrice(symbol, 94.5);
  const why = `Your limit buy of 5 ${symbol} at $95.00 filled at $94.50 because the price fell to $94.50.`;
  await expect(page.getByRole("status").filter({ hasText: why })).toBeVisible({ timeout: 20_000 });
  await expect(open.getByRole("listitem")).toHaveCount(1);

  // The other one is cancelled.
  await open.getByRole("button", { name: `Cancel order: Limit buy of 3 ${symbol}` }).click();
  await expect(page.getByText("No open orders.")).toBeVisible();

  await page.goto("/history");
  await expect(page.getByTestId("ledger")).toContainText(why);
  await page.goto("/orders");
  await waitForHydration(page);
  const ended = page.getByTestId("ended-orders");
  await expect(ended.getByRole("row", { name: /Limit buy of 5/ })).toContainText("Filled");
  await expect(ended.getByRole("row", { name: /Limit buy of 3/ })).toContainText("Cancelled");
  await expect(page.getByTestId("buying-power")).toContainText("$9,527.50");
  await page.screenshot({ path: testInfo.outputPath("orders-page.png"), fullPage: true });
});

test("an open order's limit is changed in place, and the preview refuses what cannot wait", async ({ page }, testInfo) => {
  const symbol = testInfo.project.name === "phone" ? "NVDA" : "GOOGL";
  await setPrice(symbol, 100);
  await signInAsGuest(page);
  await page.goto(`/stocks/${symbol}`);
  await waitForHydration(page);

  const form = orderForm(page, symbol);
  await form.getByLabel("Order type").selectOption("stop");
  await form.getByLabel("Stop price ($)").fill("90");
  await expect(form.getByTestId("order-preview")).toHaveText(
    "A buy stop must be above the current price of $100.00; a market order does this now",
  );
  await expect(form.getByRole("button", { name: /Place stop buy/ })).toBeDisabled();

  await placeLimitBuy(page, symbol, 2, "80.00");
  const order = page.getByTestId("open-orders").getByRole("listitem");
  await order.locator("summary").click();
  await order.getByLabel("Limit price ($)").fill("85");
  await order.getByRole("button", { name: "Save changes" }).click();
  await expect(order).toContainText(`If ${symbol} falls to $85.00 or below, buy 2 shares`);
  await expect(order).toContainText("holds back $170.00");
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the order form and the orders page have no accessibility violations in ${colorScheme} mode`, async ({ page }, testInfo) => {
    const symbol = testInfo.project.name === "phone" ? "AMZN" : "META";
    await page.emulateMedia({ colorScheme });
    await setPrice(symbol, 100);
    await signInAsGuest(page);
    await page.goto(`/stocks/${symbol}`);
    await waitForHydration(page);
    await placeLimitBuy(page, symbol, 1, "99.00");
    await orderForm(page, symbol).getByLabel("Order type").selectOption("trailing_stop");
    for (const path of [null, "/orders", "/dashboard"]) {
      if (path) {
        await page.goto(path);
        await waitForHydration(page);
      }
      if (path === "/dashboard") await page.screenshot({ path: testInfo.outputPath(`dashboard-${colorScheme}.png`), fullPage: true });
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
      const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`);
      expect(found, path ?? "stock page").toEqual([]);
    }
  });
}
