import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * What the function's bundle puts in place of `@aws-sdk/credential-provider-node` (an esbuild
 * alias, see infra/bundle-options.ts). In Lambda the execution role's credentials are always in
 * the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the SDK's
 * default chain (SSO, INI files, STS web identity, container and instance metadata) is dead weight:
 * about 90 KB of the bundle and its import time. Run from source (npm start, tests), the SDK keeps
 * its default chain.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
