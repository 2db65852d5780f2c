import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../cli/stand-ins/dynamodb-local-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbLocalEndpoint: string;
  }
}

/** One DynamoDB Local for the whole run; each test file creates its own tables in it. */
export default async function setup(project: TestProject) {
  const server = await startDynamoDbLocal();
  project.provide("dynamodbLocalEndpoint", server.endpoint);
  return () => server.close();
}
