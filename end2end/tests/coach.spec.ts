import { test, expect, type Page } from "@playwright/test";
import { waitForHydration } from "./support";

/** A new guest per test, so tests never share an account. */
async function signInAsGuest(page: Page) {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Try it as a guest" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Waits until the page's live stream is open (its `ready` event arrived). */
async function waitForLiveStream(page: Page) {
  await expect(page.getByRole("status", { name: "New notifications" })).toHaveAttribute("data-live", "connected");
}

/**
 * Collects the page's console errors and uncaught exceptions (a Rust panic shows as both). The
 * browser's own line for an HTTP error answer is left out: some steps expect a 4xx.
 */
function recordErrors(page: Page) {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** Buys `shares` of AAPL on its stock page at `origin` (the first instance when empty) and waits for the receipt. */
async function buyAapl(page: Page, shares: number, origin = "") {
  await page.goto(`${origin}/stocks/AAPL`);
  await waitForHydration(page);
  await page.getByLabel("Shares").fill(String(shares));
  await page.getByRole("button", { name: `Confirm purchase of ${shares} AAPL` }).click();
  await expect(page.getByRole("status").filter({ hasText: `Bought ${shares} AAPL` })).toBeVisible();
}

function usd(amount: number) {
  return amount.toLocaleString("en-US", { style: "currency", currency: "USD" });
}

test("a trade in one tab reaches another live: a toast, the unread badge, the notification centre", async ({
  page: tabA,
  context,
}, testInfo) => {
  const errorsA = recordErrors(tabA);
  await signInAsGuest(tabA);
  const tabB = await context.newPage();
  const errorsB = recordErrors(tabB);
  await tabB.goto("/dashboard");
  await waitForHydration(tabB);
  await waitForLiveStream(tabB);

  // The welcome note written at sign-up is unread; the count is visible text, not colour alone.
  const bell = tabB.getByRole("link", { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName("Notifications, 1 unread");
  await expect(bell).toHaveText(/1/);
  await expect(tabB.getByText("No holdings yet")).toBeVisible();

  await buyAapl(tabA, 1);

  // Tab B, without a reload: the coach's toast, one more unread, and the new holding.
  const toast = tabB.getByTestId("toast").filter({ hasText: /first trade/i });
  await expect(toast).toBeVisible();
  await expect(toast.getByRole("link", { name: "All notifications" })).toBeVisible();
  await expect(bell).toHaveAccessibleName("Notifications, 2 unread");
  await expect(tabB.getByTestId("holdings").getByRole("row", { name: /AAPL/ })).toBeVisible();
  await tabB.screenshot({ path: testInfo.outputPath("toast.png") });
  await toast.getByRole("button", { name: /^Close: Your first trade/ }).press("Enter");
  await expect(toast).toHaveCount(0);

  await tabB.reload();
  await expect(bell).toHaveAccessibleName("Notifications, 2 unread");
  await waitForHydration(tabB);

  await bell.click();
  await expect(tabB).toHaveURL(/\/notifications$/);
  await expect(tabB.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  const items = tabB.getByTestId("notifications").getByRole("listitem");
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText("Your first trade is done");
  await expect(items.last()).toContainText("Welcome to Papertrade");
  await expect(items.getByText("New", { exact: true })).toHaveCount(2);
  await waitForHydration(tabB);
  await tabB.screenshot({ path: testInfo.outputPath("notifications.png"), fullPage: true });

  await tabB.getByRole("button", { name: "Mark all read" }).click();
  await expect(bell).toHaveAccessibleName("Notifications");
  await expect(bell.getByTestId("unread-count")).toHaveCount(0);
  await expect(items.getByText("New", { exact: true })).toHaveCount(0);
  await expect(tabB.getByRole("button", { name: "Mark all read" })).toHaveCount(0);

  // Dismissing hides a notification from the centre.
  await items.first().getByRole("button", { name: /^Dismiss/ }).click();
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText("Welcome to Papertrade");
  expect(errorsA).toEqual([]);
  expect(errorsB).toEqual([]);
});

test("live events cross server instances: a trade through one instance reaches a tab served by the other, both ways", async ({
  page: tabA,
  context,
}, testInfo) => {
  // scripts/e2e.sh starts a second instance of the same server on the same database.
  const secondURL = process.env.E2E_SECOND_URL;
  if (!secondURL) {
    throw new Error("E2E_SECOND_URL is not set: run the suite through scripts/e2e.sh, which starts a second server instance");
  }
  const firstURL = new URL(testInfo.project.use.baseURL!);
  expect(new URL(secondURL).port, "the second instance must listen on another port").not.toBe(firstURL.port);

  const errorsA = recordErrors(tabA);
  await signInAsGuest(tabA);
  // Cookies belong to the host, not the port: the session signed in through instance 1 is valid on instance 2.
  const tabB = await context.newPage();
  const errorsB = recordErrors(tabB);
  await tabB.goto(`${secondURL}/dashboard`);
  await expect(tabB).toHaveURL(`${secondURL}/dashboard`);
  await waitForHydration(tabB);
  await waitForLiveStream(tabB);
  const bellB = tabB.getByRole("link", { name: /^Notifications/ });
  await expect(bellB).toHaveAccessibleName("Notifications, 1 unread");
  await expect(tabB.getByText("No holdings yet")).toBeVisible();

  // Instance 1 takes the trade; instance 2 pushes the coach's note to tab B without a reload.
  await buyAapl(tabA, 1);

  const toast = tabB.getByTestId("toast").filter({ hasText: /first trade/i });
  await expect(toast).toBeVisible();
  await expect(bellB).toHaveAccessibleName("Notifications, 2 unread");
  const holdingB = tabB.getByTestId("holdings").getByRole("row", { name: /AAPL/ });
  await expect(holdingB.getByRole("cell").first()).toHaveText("1");
  await tabB.screenshot({ path: testInfo.outputPath("toast-second-instance.png") });

  // The other way: instance 2 takes a trade; tab A, on instance 1's History, gets the new row. History
  // reloads only on `trade` events (no polling, no price ticks), so the row can only come from the
  // event instance 2 wrote and instance 1 relayed.
  await tabA.goto("/history");
  await waitForHydration(tabA);
  await waitForLiveStream(tabA);
  const ledgerA = tabA.getByTestId("ledger").getByRole("row", { name: /AAPL/ });
  await expect(ledgerA).toHaveCount(1);
  await expect(tabA.getByTestId("ledger-summary")).toHaveText("1 trade · page 1 of 1");

  await buyAapl(tabB, 2, secondURL);

  await expect(tabA.getByTestId("ledger-summary")).toHaveText("2 trades · page 1 of 1");
  await expect(ledgerA).toHaveCount(2);
  await expect(ledgerA.first().getByRole("cell").nth(2)).toHaveText("2");
  expect(errorsA).toEqual([]);
  expect(errorsB).toEqual([]);
});

test("watch a stock, set a price alert and delete it, then remove the stock", async ({ page }, testInfo) => {
  const errors = recordErrors(page);
  await signInAsGuest(page);
  await page.goto("/watchlist");
  await waitForHydration(page);
  await expect(page.getByText("Your watchlist is empty.")).toBeVisible();

  await page.getByLabel("Symbol").fill("ZZZZ");
  await page.getByRole("button", { name: "Add to watchlist" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "ZZZZ was not found" })).toBeVisible();

  await page.getByLabel("Symbol").fill("aapl");
  await page.getByRole("button", { name: "Add to watchlist" }).click();
  const row = page.getByTestId("watchlist").getByRole("row", { name: /AAPL/ });
  await expect(row).toBeVisible();
  await expect(page.getByLabel("Symbol")).toHaveValue("");
  const price = row.getByTestId("watch-price");
  await expect(price).toHaveText(/^\$\d[\d,]*\.\d\d$/);
  const current = Number((await price.textContent())!.replace(/[$,]/g, ""));

  // An "above" alert must wait above the current price.
  await page.getByLabel("Stock").selectOption("AAPL");
  await page.getByLabel("When the price goes").selectOption("above");
  await page.getByLabel("Price", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Set alert" }).click();
  await expect(page.getByText("AAPL is already at")).toBeVisible();
  await expect(page.getByLabel("Price", { exact: true })).toHaveAttribute("aria-invalid", "true");

  const threshold = Math.ceil(current * 3);
  await page.getByLabel("Price", { exact: true }).fill(String(threshold));
  await page.getByRole("button", { name: "Set alert" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Alert set: AAPL above ${usd(threshold)}` })).toBeVisible();
  await expect(row).toContainText(`Above ${usd(threshold)}`);
  await expect(row.getByText("Waiting", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Price", { exact: true })).toHaveValue("");
  await page.screenshot({ path: testInfo.outputPath("watchlist.png"), fullPage: true });

  await row.getByRole("button", { name: `Delete alert: AAPL above ${usd(threshold)}` }).click();
  await expect(row.getByText("Waiting", { exact: true })).toHaveCount(0);
  await expect(row).toContainText("None");

  await row.getByRole("button", { name: "Remove AAPL" }).click();
  await expect(page.getByText("Your watchlist is empty.")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("watchlist-empty.png"), fullPage: true });

  // The stock page offers the same: Watch, then "On your watchlist".
  await page.goto("/stocks/MSFT");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Watch MSFT" }).click();
  await expect(page.getByRole("link", { name: "On your watchlist" })).toBeVisible();
  await page.goto("/watchlist");
  await expect(page.getByTestId("watchlist").getByRole("row", { name: /MSFT/ })).toBeVisible();
  expect(errors).toEqual([]);
});
