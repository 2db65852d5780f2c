import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface PublishedMessage {
  topicArn: string;
  subject: string | undefined;
  message: string;
  attributes: Record<string, string>;
}

/** SNS's limit: 256 KiB a message, attributes included. */
const SNS_MAX_BYTES = 262_144;

/**
 * A local endpoint on 127.0.0.1 that receives what the real SNS client sends (the AWS query
 * protocol: form-encoded Publish calls) and records them; `down` makes it answer 500, `hang`
 * never answer, `refuse(message)` answer a 400 with SNS's error code for that message, `throttle`
 * answer SNS's 400 Throttled. Like SNS, it refuses a message over 256 KiB (InvalidParameter).
 */
export class SnsTestEndpoint {
  readonly published: PublishedMessage[] = [];
  down = false;
  /** Takes requests and never answers them. */
  hang = false;
  /** Answers 400 Throttled (SNS's rate limit). */
  throttle = false;
  /** The error code to refuse a message with (a 400, as SNS does), or undefined to take it. */
  refuse: (message: string) => string | undefined = () => undefined;
  /** Publish calls received, taken or not. */
  calls = 0;
  url = "";
  #server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (this.hang) return;
      if (this.down) {
        res.writeHead(500, { "content-type": "text/xml" });
        res.end(
          "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>down</Message></Error></ErrorResponse>",
        );
        return;
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      if (form.get("Action") !== "Publish") {
        res.writeHead(400, { "content-type": "text/xml" });
        res.end(
          `<ErrorResponse><Error><Code>InvalidAction</Code><Message>${form.get("Action")}</Message></Error></ErrorResponse>`,
        );
        return;
      }
      this.calls++;
      const message = form.get("Message") ?? "";
      const size =
        Buffer.byteLength(message) +
        [...form.entries()]
          .filter(([k]) => k.startsWith("MessageAttributes."))
          .reduce((n, [, v]) => n + Buffer.byteLength(v), 0);
      const code = this.throttle
        ? "Throttled"
        : size > SNS_MAX_BYTES
          ? "InvalidParameter"
          : this.refuse(message);
      if (code) {
        res.writeHead(400, { "content-type": "text/xml" });
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${code === "InvalidParameter" ? "Invalid parameter: Message too long" : code}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
        return;
      }
      const attributes: Record<string, string> = {};
      for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
        attributes[form.get(`MessageAttributes.entry.${i}.Name`) as string] = form.get(
          `MessageAttributes.entry.${i}.Value.StringValue`,
        ) as string;
      }
      this.published.push({
        topicArn: form.get("TopicArn") ?? "",
        subject: form.get("Subject") ?? undefined,
        message,
        attributes,
      });
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });

  static async start(): Promise<SnsTestEndpoint> {
    const endpoint = new SnsTestEndpoint();
    await new Promise<void>((resolve) => endpoint.#server.listen(0, "127.0.0.1", resolve));
    endpoint.url = `http://127.0.0.1:${(endpoint.#server.address() as AddressInfo).port}`;
    return endpoint;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
