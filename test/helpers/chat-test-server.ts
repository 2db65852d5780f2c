import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatRequest {
  readonly service: "telegram" | "discord" | "slack" | "webhook";
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Record<string, unknown>;
  readonly at: number;
}

/** What the server does to the next matching request instead of answering normally. */
export type ChatFault =
  | { kind: "rate-limit"; retryAfterSeconds: number }
  | { kind: "status"; status: number }
  | { kind: "reset" }
  /** A 500 whose body is `bytes` long, streamed as the client reads it (bodyBytesSent counts what went out). */
  | { kind: "huge-body"; bytes: number };

export const TELEGRAM_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
export const DISCORD_PATH = "/api/webhooks/1234567890/abcdefghijklmnopqrstuvwxyz0123456789";
export const SLACK_PATH = "/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";

const RESERVED = new Set("_*[]()~`>#+-=|{}.!".split(""));

/**
 * Telegram's MarkdownV2 check, as the Bot API does it: outside an escape (a backslash and the
 * character after it), a reserved character may only be a formatting mark (* bold, _ italic, in pairs).
 */
export function markdownV2Problem(text: string): string | undefined {
  const marks: Record<string, number> = { "*": 0, _: 0 };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "*" || c === "_") marks[c] = (marks[c] ?? 0) + 1;
    else if (RESERVED.has(c))
      return `Bad Request: can't parse entities: Character '${c}' is reserved and must be escaped with the preceding '\\'`;
  }
  if ((marks["*"] ?? 0) % 2 || (marks._ ?? 0) % 2)
    return "Bad Request: can't parse entities: Can't find end of the entity";
  return undefined;
}

/**
 * Telegram's Bot API (sendMessage), a Discord webhook, a Slack incoming webhook and a plain
 * webhook on 127.0.0.1, answering in their wire formats, with a revocable token and scripted faults
 * (429 with the service's own retry-after, 5xx, connection resets).
 */
export class ChatTestServer {
  readonly requests: ChatRequest[] = [];
  url = "";
  /** Tokens and webhooks that stopped working (revoked, deleted). */
  revoked = false;
  #faults: { service: ChatRequest["service"] | undefined; fault: ChatFault }[] = [];
  #server = createServer((req, res) => void this.#handle(req, res));
  #nextId = 1;
  /** Bytes of a huge body the server managed to write before the client stopped reading. */
  bodyBytesSent = 0;
  /** Telegram: updates waiting for getUpdates (a long poll), and the webhook setWebhook registered. */
  readonly updates: { update_id: number; message: Record<string, unknown> }[] = [];
  webhook: { url: string; secret_token: string | undefined } | undefined;

  static async start(): Promise<ChatTestServer> {
    const server = new ChatTestServer();
    await new Promise<void>((resolve) => server.#server.listen(0, "127.0.0.1", resolve));
    server.url = `http://127.0.0.1:${(server.#server.address() as AddressInfo).port}`;
    return server;
  }

  /** The next `times` requests to `service` (or any) misbehave as `fault` says. */
  fail(fault: ChatFault, times = 1, service?: ChatRequest["service"]): this {
    for (let i = 0; i < times; i++) this.#faults.push({ service, fault });
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.#faults.length = 0;
    this.revoked = false;
  }

  to(service: ChatRequest["service"]): ChatRequest[] {
    return this.requests.filter((r) => r.service === service);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  /** Streams `bytes` of "x" with backpressure, stopping when the client goes away. */
  async #huge(res: ServerResponse, bytes: number): Promise<void> {
    this.bodyBytesSent = 0;
    res.writeHead(500, { "content-type": "text/plain", "content-length": String(bytes) });
    const chunk = Buffer.alloc(65_536, "x");
    let closed = false;
    res.on("close", () => {
      closed = true;
    });
    while (this.bodyBytesSent < bytes && !closed) {
      const piece = chunk.subarray(0, Math.min(chunk.length, bytes - this.bodyBytesSent));
      this.bodyBytesSent += piece.length;
      if (!res.write(piece))
        await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
    }
    if (!closed) res.end();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const service: ChatRequest["service"] = path.startsWith("/bot")
      ? "telegram"
      : path.startsWith("/api/webhooks/")
        ? "discord"
        : path.startsWith("/services/")
          ? "slack"
          : "webhook";
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    } catch {
      return this.#json(res, 400, { ok: false, error_code: 400, description: "Bad Request: invalid JSON" });
    }
    this.requests.push({ service, path, headers: req.headers, body, at: Date.now() });
    const index = this.#faults.findIndex((f) => f.service === undefined || f.service === service);
    const fault = index >= 0 ? this.#faults.splice(index, 1)[0]?.fault : undefined;
    if (fault?.kind === "reset") return void req.socket.destroy();
    if (fault?.kind === "huge-body") return this.#huge(res, fault.bytes);
    if (fault?.kind === "status") {
      return service === "telegram"
        ? this.#json(res, fault.status, {
            ok: false,
            error_code: fault.status,
            description: "Internal Server Error",
          })
        : this.#json(res, fault.status, { message: "server error" });
    }
    if (fault?.kind === "rate-limit") {
      const s = fault.retryAfterSeconds;
      if (service === "telegram")
        return this.#json(res, 429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${s}`,
          parameters: { retry_after: s },
        });
      if (service === "discord")
        return this.#json(
          res,
          429,
          { message: "You are being rate limited.", retry_after: s, global: false },
          { "retry-after": String(Math.ceil(s)) },
        );
      res.writeHead(429, { "retry-after": String(s), "content-type": "text/plain" });
      return void res.end("rate_limited");
    }
    switch (service) {
      case "telegram": {
        if (!this.revoked && path === `/bot${TELEGRAM_TOKEN}/getUpdates`) return this.#getUpdates(res, body);
        if (!this.revoked && path === `/bot${TELEGRAM_TOKEN}/setWebhook`) {
          if (typeof body.url !== "string" || !body.url.startsWith("https://"))
            return this.#json(res, 400, {
              ok: false,
              error_code: 400,
              description: "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
            });
          this.webhook = { url: body.url, secret_token: body.secret_token as string | undefined };
          return this.#json(res, 200, { ok: true, result: true, description: "Webhook was set" });
        }
        if (this.revoked || path !== `/bot${TELEGRAM_TOKEN}/sendMessage`)
          return this.#json(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
        if (typeof body.chat_id !== "string" && typeof body.chat_id !== "number")
          return this.#json(res, 400, {
            ok: false,
            error_code: 400,
            description: "Bad Request: chat not found",
          });
        const problem =
          body.parse_mode === "MarkdownV2" ? markdownV2Problem(String(body.text ?? "")) : undefined;
        if (problem) return this.#json(res, 400, { ok: false, error_code: 400, description: problem });
        return this.#json(res, 200, { ok: true, result: { message_id: this.#nextId++, text: body.text } });
      }
      case "discord": {
        if (this.revoked || path !== DISCORD_PATH)
          return this.#json(res, 401, { message: "Invalid Webhook Token", code: 50027 });
        const embeds = body.embeds as { title?: string; description?: string }[] | undefined;
        if (!embeds?.length && !body.content)
          return this.#json(res, 400, { message: "Cannot send an empty message", code: 50006 });
        return this.#json(res, 200, { id: String(this.#nextId++), embeds });
      }
      case "slack": {
        if (this.revoked || path !== SLACK_PATH) {
          res.writeHead(403, { "content-type": "text/plain" });
          return void res.end("invalid_token");
        }
        if (!body.text && !body.blocks) {
          res.writeHead(400, { "content-type": "text/plain" });
          return void res.end("no_text");
        }
        res.writeHead(200, { "content-type": "text/plain" });
        return void res.end("ok");
      }
      default:
        if (this.revoked) return this.#json(res, 404, { error: "not found" });
        return this.#json(res, 200, { received: true });
    }
  }

  /** getUpdates: the updates from `offset` on, waiting up to `timeout` seconds (at most 1 here) for one. */
  async #getUpdates(res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const offset = Number(body.offset ?? 0);
    const deadline = Date.now() + Math.min(1, Number(body.timeout ?? 0)) * 1000;
    const pending = () => this.updates.filter((u) => u.update_id >= offset);
    while (pending().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    this.#json(res, 200, { ok: true, result: pending().slice(0, Number(body.limit ?? 100)) });
  }

  #json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }
}
