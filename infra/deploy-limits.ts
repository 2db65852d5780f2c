import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { ConfigurationError } from "../shared/domain/errors.ts";

/**
 * AWS's deploy-time limits that `cdk synth` and cdk-nag do not check, as the synthesized templates
 * would meet them at `cdk deploy` (quotas and their sources: docs/deploy.md, "Deploy-time limits").
 */
export const DEPLOY_LIMITS = {
  /** CloudFormation: template body in an S3 object ("1 MB"; the lower reading). */
  templateBytes: 1_000_000,
  /** CloudFormation: resources per stack. */
  resources: 500,
  /** CloudFormation: outputs and parameters per template. */
  outputs: 200,
  parameters: 200,
  /** Lambda: a function's resource-based policy. */
  functionPolicyBytes: 20_480,
  /** Lambda: all environment variables of a function. */
  environmentBytes: 4_096,
  /** IAM: the inline policies of one role together, without white space. */
  rolePolicyChars: 10_240,
  /** SNS: a topic's access policy. */
  topicPolicyBytes: 30_720,
  /** SQS: a queue's policy, and its statements. */
  queuePolicyBytes: 8_192,
  queuePolicyStatements: 20,
  /** EventBridge: targets per rule (a hard limit). */
  targetsPerRule: 5,
  /** Step Functions: a state machine's definition (the research stack's). */
  stateMachineDefinitionBytes: 1_048_576,
} as const;

/** One figure of a synthesized stack against its limit. */
export interface LimitFigure {
  readonly what: string;
  readonly where: string;
  readonly value: number;
  readonly limit: number;
}

type Resource = { Type: string; Properties?: Record<string, unknown> };
type Template = {
  Resources?: Record<string, Resource>;
  Outputs?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
};

// The longest values AWS fills in at deploy time, so that an estimate is never below what is stored.
const LONGEST = {
  "AWS::Region": "ap-southeast-4",
  "AWS::AccountId": "123456789012",
  "AWS::Partition": "aws-iso-b",
  "AWS::URLSuffix": "amazonaws.com.cn",
  "AWS::StackName": "x".repeat(128),
} as Record<string, string>;
const NAME = "n".repeat(64);
const ARN = `arn:aws-iso-b:service:ap-southeast-4:123456789012:${"r".repeat(100)}`;

/** A template value as text, its intrinsic functions replaced by the longest text they can become. */
function worstCase(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(worstCase).join(",");
  if (value && typeof value === "object") {
    const [[fn, arg]] = Object.entries(value) as [[string, unknown]];
    if (fn === "Ref") return LONGEST[arg as string] ?? NAME;
    if (fn === "Fn::GetAtt") return (arg as string[])[1] === "Arn" ? ARN : NAME;
    if (fn === "Fn::Join") {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map(worstCase).join(separator);
    }
    if (fn === "Fn::Sub") return worstCase(Array.isArray(arg) ? arg[0] : arg).replace(/\$\{[^}]+\}/g, ARN);
    return ARN;
  }
  return "";
}

/** A policy document's size as stored: JSON without white space, tokens at their longest. */
const policyChars = (document: unknown) => JSON.stringify(resolveDeep(document)).length;

function resolveDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveDeep);
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && /^(Ref|Fn::)/.test(entries[0]?.[0] ?? "")) return worstCase(value);
    return Object.fromEntries(entries.map(([k, v]) => [k, resolveDeep(v)]));
  }
  return value;
}

const refTo = (value: unknown): string | undefined => {
  if (value && typeof value === "object") {
    const v = value as { Ref?: string; "Fn::GetAtt"?: string[] };
    return v.Ref ?? v["Fn::GetAtt"]?.[0];
  }
  return undefined;
};

/** The statement Lambda stores for one AWS::Lambda::Permission (its Sid is the stack's name, the id and a suffix). */
function permissionStatement(id: string, p: Record<string, unknown>) {
  return {
    Sid: `${LONGEST["AWS::StackName"]}-${id}-${"s".repeat(13)}`,
    Effect: "Allow",
    Principal: { Service: worstCase(p.Principal) },
    Action: worstCase(p.Action),
    Resource: ARN,
    Condition: {
      ...(p.SourceAccount ? { StringEquals: { "AWS:SourceAccount": worstCase(p.SourceAccount) } } : {}),
      ...(p.SourceArn ? { ArnLike: { "AWS:SourceArn": worstCase(p.SourceArn) } } : {}),
    },
  };
}

/** Every figure of one stack's template against its limit. */
function templateFigures(stack: string, template: Template, templateBytes: number): LimitFigure[] {
  const resources = Object.entries(template.Resources ?? {});
  const L = DEPLOY_LIMITS;
  const figures: LimitFigure[] = [
    { what: "template bytes", where: stack, value: templateBytes, limit: L.templateBytes },
    { what: "resources", where: stack, value: resources.length, limit: L.resources },
    { what: "outputs", where: stack, value: Object.keys(template.Outputs ?? {}).length, limit: L.outputs },
    {
      what: "parameters",
      where: stack,
      value: Object.keys(template.Parameters ?? {}).length,
      limit: L.parameters,
    },
  ];
  const of = (type: string) => resources.filter(([, r]) => r.Type === type);
  for (const [id, fn] of of("AWS::Lambda::Function")) {
    const statements = of("AWS::Lambda::Permission")
      .filter(([, p]) => refTo(p.Properties?.FunctionName) === id)
      .map(([pid, p]) => permissionStatement(pid, p.Properties ?? {}));
    const policy = { Version: "2012-10-17", Id: "default", Statement: statements };
    figures.push({
      what: "function resource policy bytes",
      where: id,
      value: JSON.stringify(policy).length,
      limit: L.functionPolicyBytes,
    });
    const variables = ((fn.Properties?.Environment as { Variables?: Record<string, unknown> })?.Variables ??
      {}) as Record<string, unknown>;
    const bytes = Object.entries(variables).reduce(
      (n, [k, v]) => n + k.length + Buffer.byteLength(worstCase(v)),
      0,
    );
    figures.push({ what: "environment bytes", where: id, value: bytes, limit: L.environmentBytes });
  }
  for (const [id] of of("AWS::IAM::Role")) {
    const own = (
      (resources.find(([rid]) => rid === id)?.[1].Properties?.Policies as { PolicyDocument: unknown }[]) ?? []
    ).map((p) => p.PolicyDocument);
    const attached = of("AWS::IAM::Policy")
      .filter(([, p]) => ((p.Properties?.Roles as unknown[]) ?? []).some((r) => refTo(r) === id))
      .map(([, p]) => p.Properties?.PolicyDocument);
    const chars = [...own, ...attached].reduce((n: number, d) => n + policyChars(d), 0);
    figures.push({
      what: "role inline policy characters",
      where: id,
      value: chars,
      limit: L.rolePolicyChars,
    });
  }
  for (const [id, p] of of("AWS::SNS::TopicPolicy"))
    figures.push({
      what: "topic policy bytes",
      where: id,
      value: policyChars(p.Properties?.PolicyDocument),
      limit: L.topicPolicyBytes,
    });
  for (const [id, p] of of("AWS::SQS::QueuePolicy")) {
    const document = p.Properties?.PolicyDocument as { Statement?: unknown[] };
    figures.push({
      what: "queue policy bytes",
      where: id,
      value: policyChars(document),
      limit: L.queuePolicyBytes,
    });
    figures.push({
      what: "queue policy statements",
      where: id,
      value: document?.Statement?.length ?? 0,
      limit: L.queuePolicyStatements,
    });
  }
  for (const [id, machine] of of("AWS::StepFunctions::StateMachine"))
    figures.push({
      what: "state machine definition bytes",
      where: id,
      value: Buffer.byteLength(worstCase(machine.Properties?.DefinitionString)),
      limit: L.stateMachineDefinitionBytes,
    });
  for (const [id, rule] of of("AWS::Events::Rule")) {
    const targets = (rule.Properties?.Targets as unknown[] | undefined)?.length ?? 0;
    figures.push({ what: "targets per rule", where: id, value: targets, limit: L.targetsPerRule });
  }
  return figures;
}

/** The assembly's file assets by hash (a nested stack's template is one: its TemplateURL ends with the hash). */
function fileAssets(directory: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const manifest of readdirSync(directory).filter((f) => f.endsWith(".assets.json"))) {
    const files = (JSON.parse(readFileSync(join(directory, manifest), "utf8")).files ?? {}) as Record<
      string,
      { source: { path: string } }
    >;
    for (const [hash, asset] of Object.entries(files)) paths.set(hash, join(directory, asset.source.path));
  }
  return paths;
}

/** A stack's template file and those of its nested stacks, depth first. */
function* templatesOf(name: string, file: string, assets: Map<string, string>): Generator<[string, string]> {
  yield [name, file];
  const template = JSON.parse(readFileSync(file, "utf8")) as Template;
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type !== "AWS::CloudFormation::Stack") continue;
    const hash = /([0-9a-f]{64})\.json$/.exec(worstCase(r.Properties?.TemplateURL))?.[1];
    const nested = hash ? assets.get(hash) : undefined;
    if (!nested) throw new Error(`the template of nested stack ${id} is not in the assembly`);
    yield* templatesOf(`${name}/${id}`, nested, assets);
  }
}

/** Every figure of a synthesized app, nested stacks included, the rules of all against the event bus's quota. */
export function deployFigures(assembly: CloudAssembly, ruleQuota: number): LimitFigure[] {
  const figures: LimitFigure[] = [];
  let rules = 0;
  for (const stack of assembly.stacksRecursively) {
    for (const [name, file] of templatesOf(
      stack.stackName,
      stack.templateFullPath,
      fileAssets(assembly.directory),
    )) {
      const template = JSON.parse(readFileSync(file, "utf8")) as Template;
      figures.push(...templateFigures(name, template, statSync(file).size));
      rules += Object.values(template.Resources ?? {}).filter((r) => r.Type === "AWS::Events::Rule").length;
    }
  }
  figures.push({
    what: "rules on the event bus",
    where: "the account's default bus",
    value: rules,
    limit: ruleQuota,
  });
  return figures;
}

/** Synth stops, in one line, when a synthesized template would not deploy. */
export function checkDeployLimits(assembly: CloudAssembly, ruleQuota: number): LimitFigure[] {
  const figures = deployFigures(assembly, ruleQuota);
  const over = figures.filter((f) => f.value > f.limit);
  if (over.length > 0)
    throw new ConfigurationError(
      `this watchlist would not deploy: ${over.map((f) => `${f.what} of ${f.where} ${f.value.toLocaleString("en-US")} > ${f.limit.toLocaleString("en-US")}`).join("; ")}; remove pairs, or split the watchlist into stacks (-c stackName=… with part of the watchlist each) (docs/deploy.md, "Deploy-time limits")`,
    );
  return figures;
}
