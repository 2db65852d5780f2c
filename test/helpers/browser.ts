import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Debian's Chromium, headless, with nothing that reaches the network by itself. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: npm test installs Debian's chromium package before it runs (scripts/test-packages.sh); run npm test, or apt-get install chromium`,
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

/**
 * Looks at the charts of a page as drawn: each chart's screenshot holds ink (it was drawn), its
 * time axis labels end inside its box (the bottom rows are blank, so no label is cut), and no
 * legend or heading overlaps it. Returns the problems found, empty when none.
 */
export async function chartProblems(tab: Page, ids: readonly string[]): Promise<string[]> {
  const { decodePng, inkIn } = await import("./png.ts");
  const problems: string[] = [];
  const others: { what: string; top: number; bottom: number; left: number; right: number }[] = [];
  for (const element of await tab.locator(".legend, h2").all()) {
    const r = await element.boundingBox();
    const what = `${(await element.getAttribute("class")) ?? "heading"} "${(await element.textContent())?.slice(0, 30)}"`;
    if (r) others.push({ what, top: r.y, bottom: r.y + r.height, left: r.x, right: r.x + r.width });
  }
  // Every box first: a screenshot scrolls the page, and boxes are measured from the viewport.
  const boxes = await Promise.all(ids.map((id) => tab.locator(`#${id}`).boundingBox()));
  ids.forEach((id, i) => {
    const box = boxes[i];
    if (!box) {
      problems.push(`#${id} is not on the page`);
      return;
    }
    for (const o of others) {
      const overlaps =
        o.bottom > box.y + 1 &&
        o.top < box.y + box.height - 1 &&
        o.right > box.x &&
        o.left < box.x + box.width;
      if (overlaps) problems.push(`#${id} is overlapped by ${o.what}`);
    }
  });
  for (const id of ids) {
    if (!(await tab.locator(`#${id}`).count())) continue;
    const image = decodePng(await tab.locator(`#${id}`).screenshot());
    if (inkIn(image, 0, 0, image.width, image.height) < 500) problems.push(`#${id} is blank`);
    const cut = inkIn(image, 0, image.height - 2, image.width, image.height);
    if (cut > 0) problems.push(`#${id}: ${cut} pixel(s) of ink on its bottom edge (a label cut by the box)`);
    // The time axis (its last 28 px) holds labels, whole: ink there, none on its bottom edge.
    if (inkIn(image, 0, image.height - 28, image.width, image.height - 2) < 50)
      problems.push(`#${id}: no time axis labels drawn inside the box`);
  }
  return problems;
}

/**
 * Whether a chart's price scale draws a label cut by the bottom of its pane: text in the scale's
 * strip (its right 52 px) in the 8 px just above the time axis, where a whole label never reaches
 * (beyond the scale's own border line).
 */
export async function priceLabelCut(tab: Page, id: string): Promise<boolean> {
  const { decodePng, inkIn } = await import("./png.ts");
  const image = decodePng(await tab.locator(`#${id}`).screenshot());
  for (let y = image.height - 36; y < image.height - 28; y++)
    if (inkIn(image, image.width - 52, y, image.width, y + 1) > 3) return true;
  return false;
}
