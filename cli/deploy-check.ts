import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Runs before `cdk deploy` / `cdk destroy`: says in one line what to set when nothing tells the
 * AWS SDK a region or credentials, instead of CDK's "Unable to resolve AWS account".
 */
const env = process.env;
const configFile = env.AWS_CONFIG_FILE || join(homedir(), ".aws", "config");
const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), ".aws", "credentials");
const see = "(README: Deploy to AWS; docs/deploy.md)";
const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || env.AWS_PROFILE || existsSync(configFile);
const credentials =
  (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
  env.AWS_PROFILE ||
  env.AWS_WEB_IDENTITY_TOKEN_FILE ||
  env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
  env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
  existsSync(credentialsFile) ||
  existsSync(configFile);
if (!region || !credentials) {
  const missing = [
    !region && "a region (AWS_REGION)",
    !credentials && "credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
  ]
    .filter(Boolean)
    .join(" and ");
  process.stderr.write(
    `AWS: nothing sets ${missing}: run aws configure (or aws sso login) and set AWS_PROFILE and AWS_REGION, then bootstrap once: npx cdk bootstrap aws://<account>/<region> ${see}\n`,
  );
  process.exit(1);
}
