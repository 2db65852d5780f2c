import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { webhookOutput } from "../infra/chat-commands.ts";
import { localSecretEnv } from "../shared/adapters/config/alert-channels.ts";
import { DEFAULT_STACK_NAME } from "../shared/adapters/config/settings.ts";
import { parseFlags } from "./args.ts";
import { awsAdvice } from "./aws-advice.ts";
import { runCli, UsageError } from "./cli-errors.ts";
import { readLocalConfig } from "./local/local-config.ts";
import { localPaths } from "./local/local-flags.ts";

const USAGE = `Usage: npm run telegram -- --set-webhook [--channel <name>] [--stack <name> | --url <https URL>]

Registers the deployed commands function's URL with Telegram as the bot's webhook, with the
secret token Telegram then sends with every update (docs/telegram-commands.md).
  --set-webhook     call Telegram's setWebhook (the only action so far)
  --channel <name>  the Telegram channel with "commands": true (default: the only one)
  --stack <name>    the deployed stack whose output names the URL (default ${DEFAULT_STACK_NAME})
  --url <url>       the webhook URL itself, instead of the stack's output
  --config <file>   the configuration (default cdk.json)
The bot token and the secret token are read from the channel's SSM parameters (AWS credentials and
region from the environment), or from ${localSecretEnv("<name>")} and ${localSecretEnv("<name>")}_WEBHOOK when set.`;

const ssmValue = async (name: string) => {
  const { Parameter } = await new SSMClient({}).send(
    new GetParameterCommand({ Name: name, WithDecryption: true }),
  );
  if (!Parameter?.Value) throw new UsageError(`the SSM parameter ${name} has no value`);
  return Parameter.Value;
};

await runCli(async () => {
  const flags = parseFlags(USAGE, {
    "set-webhook": { type: "boolean" },
    channel: { type: "string" },
    stack: { type: "string" },
    url: { type: "string" },
    config: { type: "string" },
    "data-dir": { type: "string" },
  });
  if (!flags) return 0;
  if (!flags["set-webhook"]) throw new UsageError("say what to do: --set-webhook (see --help)");
  const { configFile } = localPaths(flags);
  const { settings } = readLocalConfig(configFile, process.env);
  const withCommands = settings.alerts.channels.filter((c) => c.type === "telegram" && c.commands);
  const channel = flags.channel
    ? withCommands.find((c) => c.name === flags.channel)
    : withCommands.length === 1
      ? withCommands[0]
      : undefined;
  if (!channel)
    throw new UsageError(
      withCommands.length === 0
        ? `${configFile} has no Telegram channel with "commands": true in tradingBot.alerts.channels`
        : `name the channel with --channel: ${withCommands.map((c) => c.name).join(", ")}`,
    );
  if (flags.url !== undefined && !/^https:\/\/[^\s]+$/.test(flags.url))
    throw new UsageError(`--url must be an https URL, got "${flags.url}"`);
  let url: string;
  let token: string;
  let secret: string;
  try {
    const stack = flags.stack ?? DEFAULT_STACK_NAME;
    url =
      flags.url ??
      (
        await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: stack }))
      ).Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === webhookOutput(channel.name))?.OutputValue ??
      "";
    if (!url)
      throw new UsageError(
        `the stack ${stack} has no ${webhookOutput(channel.name)} output: deploy with the channel's commands on first (npm run deploy)`,
      );
    const env = localSecretEnv(channel.name);
    token = process.env[env] || (await ssmValue(channel.secretParameter as string));
    secret = process.env[`${env}_WEBHOOK`] || (await ssmValue(channel.webhookSecretParameter as string));
  } catch (error) {
    const advice = error instanceof Error && !(error instanceof UsageError) ? awsAdvice(error) : undefined;
    if (!advice) throw error;
    process.stderr.write(`AWS: ${advice}\n`);
    return 1;
  }
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(secret))
    throw new UsageError(
      `the webhook secret in ${channel.webhookSecretParameter} must be 1-256 of A-Z a-z 0-9 _ - (Telegram's rule)`,
    );
  const api = process.env.TELEGRAM_API_URL ?? "https://api.telegram.org";
  const response = await fetch(`${api}/bot${token}/setWebhook`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url, secret_token: secret, allowed_updates: ["message"] }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; description?: string };
  if (!response.ok || body.ok !== true) {
    process.stderr.write(
      `Telegram refused the webhook: HTTP ${response.status} ${String(body.description ?? "").slice(0, 200)}\n`,
    );
    return 1;
  }
  process.stdout.write(
    `Telegram sends the bot's updates for channel "${channel.name}" to ${url} now, with the secret token.\n`,
  );
  return 0;
});
