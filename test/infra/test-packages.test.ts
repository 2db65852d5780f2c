import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/run-cli.ts";

const run = (env: Record<string, string>) =>
  spawnSync("bash", ["scripts/test-packages.sh"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });

describe("npm test's pretest installs what a fresh Debian machine lacks", () => {
  it("names the missing packages and the apt-get command it runs", () => {
    const both = run({
      TEST_PACKAGES_DRY_RUN: "1",
      CHROMIUM_PATH: "/nonexistent/chromium",
      JAVA_CMD: "no-such-java",
    });
    expect(both.status).toBe(0);
    expect(both.stdout.trim()).toBe(
      "would run: apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium default-jre-headless",
    );
  });

  it("does nothing when both are there", () => {
    const none = run({ TEST_PACKAGES_DRY_RUN: "1", CHROMIUM_PATH: process.execPath, JAVA_CMD: "node" });
    expect(none.status).toBe(0);
    expect(none.stdout).toBe("");
  });

  it("is npm test's pretest, and README's test command is npm test", async () => {
    const { readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(`${PROJECT_ROOT}package.json`, "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.pretest).toBe("bash scripts/test-packages.sh");
    expect(readFileSync(`${PROJECT_ROOT}README.md`, "utf8")).toContain("npm ci && npm test");
  });
});
