const see = "(README: Deploy to AWS; docs/deploy.md)";

/** What an AWS error means for someone running this from a laptop, and what to do; undefined: not ours to explain. */
export function awsAdvice(error: Error): string | undefined {
  const access = awsAccessAdvice(error);
  if (access) return access;
  if (/does not exist|ResourceNotFound/i.test(`${error.name} ${error.message}`))
    return `${error.message}: deploy first (npm run deploy), or name the stack with --stack / the function with --function-name ${see}`;
  return undefined;
}

/** The same, for reaching AWS at all (region, credentials, network): what any command on a deployed table meets first. */
export function awsAccessAdvice(error: Error): string | undefined {
  const cause = error.cause instanceof Error ? ` ${error.cause.name} ${error.cause.message}` : "";
  const text = `${error.name} ${error.message}${cause}`;
  if (/Region is missing|Region not accepted/i.test(text))
    return `no AWS region: set AWS_REGION (e.g. AWS_REGION=eu-central-1) or a profile with one (AWS_PROFILE, aws configure) ${see}`;
  if (
    /CredentialsProviderError|Could not load credentials|ExpiredToken|UnrecognizedClient|InvalidClientTokenId/i.test(
      text,
    )
  )
    return `no usable AWS credentials: set AWS_PROFILE (after aws configure, or aws sso login) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ${see}`;
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(text))
    return `AWS cannot be reached from here (${error.message}): check the network and AWS_REGION ${see}`;
  return undefined;
}
