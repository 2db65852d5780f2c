import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import cdkJson from "../../cdk.json" with { type: "json" };
import { buildApp } from "../../infra/app.ts";

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
