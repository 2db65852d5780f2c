import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the stand-in received it. */
export interface S3Call {
  readonly method: string;
  readonly key: string;
  readonly query: URLSearchParams;
}

/** An aws-chunked body (the SDK's streaming upload with a trailing checksum) as its plain bytes. */
function unchunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = raw.indexOf("\r\n", at);
    const size = Number.parseInt(raw.subarray(at, end).toString("latin1").split(";")[0] ?? "0", 16);
    if (!size) break;
    parts.push(raw.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * S3's REST protocol on 127.0.0.1, path style, for one bucket held in memory: PutObject,
 * GetObject, ListObjectsV2 (paged: `pageSize` keys a page). Faults: `failNext(n)` answers the next
 * n requests 503 SlowDown, as S3 does when throttling.
 */
export class S3StandIn {
  readonly objects = new Map<string, Buffer>();
  readonly calls: S3Call[] = [];
  url = "";
  pageSize = 1_000;
  #failures = 0;
  readonly #bucket: string;
  readonly #server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => this.#answer(req, Buffer.concat(chunks), res));
  });

  private constructor(bucket: string) {
    this.#bucket = bucket;
  }

  static async start(bucket: string): Promise<S3StandIn> {
    const s3 = new S3StandIn(bucket);
    await new Promise<void>((resolve) => s3.#server.listen(0, "127.0.0.1", resolve));
    s3.url = `http://127.0.0.1:${(s3.#server.address() as AddressInfo).port}`;
    return s3;
  }

  failNext(requests: number) {
    this.#failures = requests;
  }

  text(key: string): string | undefined {
    return this.objects.get(key)?.toString("utf8");
  }

  #answer(req: IncomingMessage, raw: Buffer, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://s3");
    const [, bucket = "", ...rest] = url.pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    this.calls.push({ method: req.method ?? "", key, query: url.searchParams });
    if (this.#failures > 0) {
      this.#failures--;
      return this.#error(res, 503, "SlowDown", "Please reduce your request rate.");
    }
    if (bucket !== this.#bucket) return this.#error(res, 404, "NoSuchBucket", `no bucket ${bucket}`);
    if (req.method === "PUT" && key) {
      const chunked = String(req.headers["content-encoding"] ?? "").includes("aws-chunked");
      this.objects.set(key, chunked ? unchunk(raw) : raw);
      res.writeHead(200, { etag: '"1"' });
      return res.end();
    }
    if (req.method === "GET" && key) {
      const body = this.objects.get(key);
      if (!body) return this.#error(res, 404, "NoSuchKey", "The specified key does not exist.");
      res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
      return res.end(body);
    }
    if (req.method === "GET" && url.searchParams.get("list-type") === "2") return this.#list(url, res);
    return this.#error(res, 400, "NotImplemented", `${req.method} ${url.pathname} is not served here`);
  }

  #list(url: URL, res: ServerResponse) {
    const prefix = url.searchParams.get("prefix") ?? "";
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    const start = Number(url.searchParams.get("continuation-token") ?? 0);
    const page = keys.slice(start, start + this.pageSize);
    const next = start + page.length < keys.length ? String(start + page.length) : undefined;
    res.writeHead(200, { "content-type": "application/xml" });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${this.#bucket}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${this.pageSize}</MaxKeys><IsTruncated>${next !== undefined}</IsTruncated>${next ? `<NextContinuationToken>${next}</NextContinuationToken>` : ""}${page
        .map(
          (k) =>
            `<Contents><Key>${xml(k)}</Key><Size>${this.objects.get(k)?.length ?? 0}</Size><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"1"</ETag><StorageClass>STANDARD</StorageClass></Contents>`,
        )
        .join("")}</ListBucketResult>`,
    );
  }

  #error(res: ServerResponse, status: number, code: string, message: string) {
    res.writeHead(status, { "content-type": "application/xml" });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
