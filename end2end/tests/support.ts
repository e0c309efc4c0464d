import type { Page } from "@playwright/test";

/**
 * Resolves once the WASM bundle has hydrated the page: the loader (src/ui/components/
 * hydrate_after_paint.js) marks `<html data-hydrated>` when `hydrate()` has returned. A client-side
 * navigation keeps the mark, as the page stays hydrated.
 */
export async function waitForHydration(page: Page) {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}
