import { test, expect, type Browser, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { readFile } from "node:fs/promises";
import { signUp, waitForHydration } from "./support";

/** A `datetime-local` value `minutes` from now, in the browser's zone. */
function localTime(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000 - new Date().getTimezoneOffset() * 60_000);
  return at.toISOString().slice(0, 16);
}

async function newPage(browser: Browser, isMobile: boolean): Promise<Page> {
  const context = await browser.newContext(isMobile ? { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true } : {});
  return context.newPage();
}

/** Buys in the game (whose commission is $1 a trade), from the stock's page. */
async function buy(page: Page, symbol: string, shares: number) {
  await page.goto(`/stocks/${symbol}`);
  await waitForHydration(page);
  await page.getByLabel("Shares").fill(String(shares));
  // The game's $1 commission is in the preview, before the order.
  await expect(page.getByTestId("order-preview")).toContainText("commission $1.00");
  await page.getByRole("button", { name: `Confirm purchase of ${shares} ${symbol}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `Bought ${shares} ${symbol}` })).toBeVisible();
}

test("a teacher creates a game, two learners join with its code (one a guest), trade, and the teacher's board updates live", async ({ page, browser, isMobile }, testInfo) => {
  test.setTimeout(90_000);
  await signUp(page, "teacher");
  await page.goto("/games");
  await waitForHydration(page);
  await page.getByRole("link", { name: "Create a game" }).click();
  await expect(page.getByRole("heading", { name: "Create a game" })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("Name").fill("Period 3 contest");
  await page.getByLabel("Starts").fill(localTime(-1));
  await page.getByLabel("Ends").fill(localTime(7 * 24 * 60));
  await page.getByLabel("Kind").selectOption("per_trade");
  await page.getByLabel("Amount").fill("1");
  await page.getByLabel("Players may join after the start").check();
  await page.screenshot({ path: testInfo.outputPath("new-game.png"), fullPage: true });
  await page.getByRole("button", { name: "Create the game" }).click();

  await expect(page.getByRole("heading", { name: "Period 3 contest" })).toBeVisible();
  const gamePath = new URL(page.url()).pathname;
  expect(gamePath).toMatch(/^\/games\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("game-phase")).toContainText("Ends in 6 days 23 h");
  await expect(page.getByText("No players yet")).toBeVisible();
  const code = (await page.getByTestId("join-code").textContent())!.trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/);
  const invite = await page.getByLabel("Invite link").inputValue();
  expect(invite).toMatch(new RegExp(`/games/join/${code.replace("-", "")}$`));
  await page.getByText("Show the QR code for a projector").click();
  await expect(page.getByRole("img", { name: "QR code of the invite link" })).toBeVisible();
  await waitForHydration(page);

  // A guest follows the invite link: log-in page, one click as a guest, back to join.
  const guest = await newPage(browser, isMobile);
  await guest.goto(new URL(invite).pathname);
  await expect(guest).toHaveURL(/\/login\?next=/);
  await waitForHydration(guest);
  await guest.getByRole("button", { name: "Try it as a guest" }).click();
  await expect(guest.getByLabel("Join code")).toHaveValue(code);
  await waitForHydration(guest);
  await guest.getByRole("button", { name: "Join the game" }).click();
  await expect(guest.getByRole("heading", { name: "Period 3 contest" })).toBeVisible();
  await expect(guest.getByLabel("Trading in").locator("option:checked")).toHaveText("Game: Period 3 contest");

  // The teacher's board shows the new player without a reload.
  const board = page.getByTestId("leaderboard");
  // The header, the players, and the SPY benchmark row under them.
  const rows = board.getByRole("row").filter({ hasNotText: "Benchmark:" });
  await expect(rows).toHaveCount(2, { timeout: 15_000 });
  await expect(board.getByTestId("benchmark")).toContainText("Benchmark: SPY from the start");

  // A learner with an account types the code (any case, without the dash) on the Games page.
  const learner = await newPage(browser, isMobile);
  const ada = await signUp(learner, "ada");
  await learner.goto("/games");
  await waitForHydration(learner);
  await learner.getByLabel("Join code").fill(code.replace("-", "").toLowerCase());
  await learner.getByRole("button", { name: "Join the game" }).click();
  await expect(learner.getByRole("heading", { name: "Period 3 contest" })).toBeVisible();
  await expect(rows).toHaveCount(3, { timeout: 15_000 });

  // Both trade in the game; each fill reaches the teacher's open page.
  await buy(guest, "AAPL", 2);
  await buy(learner, "MSFT", 1);
  await expect(learner.getByLabel("Trading in").locator("option:checked")).toHaveText("Game: Period 3 contest");
  const adaRow = board.getByRole("row", { name: new RegExp(ada.username) });
  await expect(adaRow.getByRole("cell").last()).toHaveText("1", { timeout: 15_000 });
  await expect(board.getByRole("row").filter({ hasText: "guest" }).getByRole("cell").last()).toHaveText("1", { timeout: 15_000 });
  await page.screenshot({ path: testInfo.outputPath("game-teacher.png"), fullPage: true });

  // The class summary and the standings export.
  await expect(page.getByTestId("class-summary")).toContainText("0 of 2 have not traded yet");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Standings (CSV)" }).click();
  const standings = (await readFile(await (await downloading).path(), "utf8")).trim().split(/\r?\n/);
  expect(standings[0]).toBe("place,player,value,total_return_percent,trades,joined_at");
  expect(standings).toHaveLength(3);
  expect(standings.join("\n")).toContain(`"${ada.username}"`);

  // The learner's own row is marked in words, not by colour alone.
  await learner.goto(gamePath);
  await expect(learner.getByTestId("leaderboard").getByRole("row", { name: /You/ })).toContainText(ada.username);
  await learner.screenshot({ path: testInfo.outputPath("game-learner.png"), fullPage: true });

  // The switcher takes the learner back to their personal portfolio.
  await learner.goto("/dashboard");
  await learner.getByLabel("Trading in").selectOption({ label: "Personal" });
  await learner.getByRole("button", { name: "Switch" }).click();
  await expect(learner.getByTestId("portfolio-summary")).toContainText("$10,000.00");
  await expect(learner.getByLabel("Trading in").locator("option:checked")).toHaveText("Personal");

  for (const p of [page, learner]) {
    const results = await new AxeBuilder({ page: p }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
  }
});

/** Creates a game ending in a week, with late joining and a $1 commission; returns its path and code. */
async function createGame(page: Page, name: string): Promise<{ gamePath: string; code: string }> {
  await page.goto("/games/new");
  await waitForHydration(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Starts").fill(localTime(-1));
  await page.getByLabel("Ends").fill(localTime(7 * 24 * 60));
  await page.getByLabel("Kind").selectOption("per_trade");
  await page.getByLabel("Amount").fill("1");
  await page.getByLabel("Players may join after the start").check();
  await page.getByRole("button", { name: "Create the game" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  return { gamePath: new URL(page.url()).pathname, code: (await page.getByTestId("join-code").textContent())!.trim() };
}

test("a co-organiser moves the end of a running game, and its final page charts each player against SPY", async ({ page, browser, isMobile }, testInfo) => {
  test.setTimeout(240_000);
  await signUp(page, "teacher");
  const { gamePath, code } = await createGame(page, "Short contest");
  const assistantPage = await newPage(browser, isMobile);
  const assistant = await signUp(assistantPage, "assist");
  const learner = await newPage(browser, isMobile);
  const ada = await signUp(learner, "ada");
  await learner.goto(`/games/join/${code.replace("-", "")}`);
  await waitForHydration(learner);
  await learner.getByRole("button", { name: "Join the game" }).click();
  await expect(learner.getByRole("heading", { name: "Short contest" })).toBeVisible();
  await buy(learner, "AAPL", 3);
  await learner.goto(gamePath);
  await waitForHydration(learner);

  // The creator adds the assistant by username; a wrong name is refused in words, in place.
  await page.goto(gamePath);
  await waitForHydration(page);
  const organisers = page.getByTestId("organisers");
  await page.getByLabel("Add an organiser by username").fill(ada.username);
  await page.getByRole("button", { name: "Add organiser" }).click();
  await expect(page.getByText(`a player cannot organise the game too, and ${ada.username} plays in it`, { exact: false })).toBeVisible();
  await page.getByLabel("Add an organiser by username").fill(`@${assistant.username.toUpperCase()}`);
  await page.getByRole("button", { name: "Add organiser" }).click();
  await expect(organisers.getByRole("listitem")).toHaveCount(2);
  await expect(organisers).toContainText(assistant.username);
  await expect(page.getByRole("button", { name: `Remove ${assistant.username} as an organiser` })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("game-organisers.png"), fullPage: true });

  // The assistant sees the class, and moves the end to two minutes from now.
  await assistantPage.goto(gamePath);
  await waitForHydration(assistantPage);
  await expect(assistantPage.getByTestId("teacher-view")).toContainText(ada.username);
  await expect(assistantPage.getByRole("button", { name: /as an organiser$/ })).toHaveCount(0);
  await assistantPage.getByText("Change when the game ends").click();
  await assistantPage.getByLabel("New end (your time zone)").fill(localTime(2));
  await assistantPage.getByRole("button", { name: "Move the end" }).click();
  await expect(assistantPage.getByText("The end moved")).toBeVisible();
  // Every open page of the game shows the new countdown without a reload.
  await expect(learner.getByTestId("game-phase")).toContainText(/Ends in (1|2) min|Ends in \d+ s/, { timeout: 15_000 });

  // The end passes; the final standings and the chart arrive on the open page.
  await expect(learner.getByRole("heading", { name: "Final standings" })).toBeVisible({ timeout: 180_000 });
  await expect(learner.getByTestId("winner")).toBeVisible();
  const chart = learner.getByTestId("comparison");
  await expect(chart.getByLabel("Player")).toHaveValue("1");
  await expect(chart.getByRole("img")).toHaveAttribute("aria-label", new RegExp(`^${ada.username}: \\$10,000\\.00 to .*; SPY from the start: \\$10,000\\.00 to`));
  await expect(chart.locator("figcaption")).toContainText("SPY from the start");
  await expect(chart.locator("figcaption")).toContainText(/Low \$[\d,]+\.\d\d\s*High \$/);
  await learner.screenshot({ path: testInfo.outputPath("game-final.png"), fullPage: true });

  const results = await new AxeBuilder({ page: learner }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
});
