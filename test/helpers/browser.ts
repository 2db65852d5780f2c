import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Debian's Chromium, headless, with nothing that reaches the network by itself. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium), as .ci/run does`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Opens a self-contained HTML file in headless Chromium with every non-file request blocked,
 * waits until the page says it rendered, hands the tab to `check`, and returns the console errors.
 */
export async function inChromium(file: string, check: (tab: Page) => Promise<void>): Promise<string[]> {
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    tab.on("pageerror", (e) => errors.push(String(e)));
    await tab.route("**/*", (route) =>
      route.request().url().startsWith("file:") ? route.continue() : route.abort(),
    );
    await tab.goto(pathToFileURL(file).href);
    await tab.waitForSelector("body[data-rendered=true]", { timeout: 15_000 });
    await check(tab);
    return errors;
  } finally {
    await browser.close();
  }
}
