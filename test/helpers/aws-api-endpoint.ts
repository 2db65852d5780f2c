import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedCall {
  method: string;
  path: string;
  body: string;
}

/** A local HTTP endpoint on 127.0.0.1 that records what an AWS SDK client sends and answers as scripted. */
export class AwsApiEndpoint {
  readonly calls: ReceivedCall[] = [];
  url = "";
  #answer: (call: ReceivedCall, res: ServerResponse) => void;
  #server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const call = {
        method: req.method ?? "",
        path: req.url ?? "",
        body: Buffer.concat(chunks).toString("utf8"),
      };
      this.calls.push(call);
      this.#answer(call, res);
    });
  });

  private constructor(answer: (call: ReceivedCall, res: ServerResponse) => void) {
    this.#answer = answer;
  }

  static async start(answer: (call: ReceivedCall, res: ServerResponse) => void): Promise<AwsApiEndpoint> {
    const endpoint = new AwsApiEndpoint(answer);
    await new Promise<void>((resolve) => endpoint.#server.listen(0, "127.0.0.1", resolve));
    endpoint.url = `http://127.0.0.1:${(endpoint.#server.address() as AddressInfo).port}`;
    return endpoint;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
