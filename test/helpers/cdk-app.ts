import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, NestedStack, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import cdkJson from "../../cdk.json" with { type: "json" };
import { buildApp } from "../../infra/app.ts";
import { PROJECT_ROOT } from "./run-cli.ts";

/** The app as cdk.json configures it, with context overrides; bundling skipped unless asked. */
export function synthApp(
  overrides: Record<string, unknown> = {},
  options: { bundle?: boolean; outdir?: string } = {},
) {
  const app = new App({
    context: {
      ...cdkJson.context,
      ...overrides,
      ...(options.bundle ? {} : { "aws:cdk:bundling-stacks": [] }),
    },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const built = buildApp(app);
  return { ...built, template: () => Template.fromStack(built.stack) };
}

/** `infra/app.ts` run as `cdk synth -c …` runs it (a fresh Node process, context overrides, no bundling). */
export function synthThroughCdk(overrides: Record<string, unknown>) {
  return spawnSync(process.execPath, ["infra/app.ts"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      CDK_OUTDIR: mkdtempSync(join(tmpdir(), "synth-")),
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, ...overrides, "aws:cdk:bundling-stacks": [] }),
    },
  });
}

/** Resources of a type in a stack and in every stack nested in it (the schedules live in nested stacks). */
export function resourcesOf(stack: Stack, type: string): Record<string, unknown>[] {
  const stacks = [stack, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)];
  return stacks.flatMap((s) => Object.values(Template.fromStack(s).findResources(type)));
}
