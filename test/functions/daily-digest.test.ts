import { describe, expect, it } from "vitest";
import { BUY, useHandler } from "../helpers/handler-harness.ts";

const h = useHandler();
type Digest = { digests: { accountId: string; queued: boolean; sent: number }[] };
const digestsOf = () => h.stack.sns.published.filter((m) => m.attributes.event === "digest");

describe("the daily digest", () => {
  it("sends each account's day once: equity and its change, open positions at the last close, fills, failed cycles", async () => {
    await h.handler(h.event(BUY), h.context());
    h.stack.binance.fail({ kind: "status", status: 503 }, 100);
    await h.run(h.event(BUY + 1), h.context());
    h.stack.binance.clearFaults();
    h.event(BUY + 2); // the clock, a candle later
    const result = (await h.handler({ digest: true }, h.context())) as unknown as Digest;
    expect(result.digests.find((d) => d.accountId === h.accountId)).toMatchObject({ queued: true });
    const [digest] = digestsOf().filter((m) => m.attributes.alertId?.startsWith(`${h.accountId}/`));
    expect(digest?.subject).toMatch(
      new RegExp(`^Daily digest ${h.accountId} \\d{4}-\\d{2}-\\d{2}: equity 9999\\.00 USDT \\(-1\\.00\\)$`),
    );
    for (const line of [
      "Equity: 9999.00 USDT (-1.00 USDT, -0.01 % since the account opened)",
      "Open positions: 1",
      "  BNBUSDT 4h: 1.567 @ 638.13, last close 638.13, unrealised +0.00 USDT (+0.00 %)",
      "Fills: 1",
      "BUY BNBUSDT 4h 1.567 @ 638.13 (entry)",
      "Failed cycles: 1",
    ])
      expect(digest?.message).toContain(line);
    expect(digest?.attributes).toMatchObject({
      event: "digest",
      symbol: "ALL",
      timeframe: "1d",
      action: "DIGEST",
    });
    // The rule's retry, or a second rule firing the same day: nothing goes out twice.
    const again = (await h.handler({ digest: true }, h.context())) as unknown as Digest;
    expect(again.digests.find((d) => d.accountId === h.accountId)).toMatchObject({ queued: false });
    expect(digestsOf().filter((m) => m.attributes.alertId?.startsWith(`${h.accountId}/`))).toHaveLength(1);
  });

  it("is the day the rule was scheduled for, however late it is delivered (a 23:00 rule delivered after midnight)", async () => {
    await h.handler(h.event(BUY), h.context());
    const DAY = 86_400_000;
    const day = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
    const at = (d: number) => new Date(d + 23 * 3_600_000).toISOString();
    const first = (await h.handler(
      { digest: true, scheduledTime: at(day) },
      h.context(),
    )) as unknown as Digest;
    expect(first.digests.find((d) => d.accountId === h.accountId)).toMatchObject({ queued: true });
    const next = (await h.handler(
      { digest: true, scheduledTime: at(day + DAY) },
      h.context(),
    )) as unknown as Digest;
    expect(next.digests.find((d) => d.accountId === h.accountId)).toMatchObject({ queued: true });
    const subjects = digestsOf()
      .filter((m) => m.attributes.alertId?.startsWith(`${h.accountId}/`))
      .map((m) => m.subject?.slice(0, `Daily digest ${h.accountId} 2026-01-01`.length));
    const date = (d: number) => new Date(d).toISOString().slice(0, 10);
    expect(subjects).toEqual([
      `Daily digest ${h.accountId} ${date(day)}`,
      `Daily digest ${h.accountId} ${date(day + DAY)}`,
    ]);
  });

  it("takes the digest event only as the rule sends it: a malformed or future time is answered, logged and counted as invalid", async () => {
    const result = await h.run({ digest: "yes" }, h.context());
    expect(result).toMatchObject({ status: "failed", error: { type: "InvalidRequestError" } });
    for (const [time, message] of [
      ["tomorrow", "scheduledTime must be an ISO-8601 UTC time"],
      ["2999-01-01T23:00:00Z", "is after now"],
      [
        new Date(Date.now() + 86_400_000).toISOString(),
        "a digest is sent for a day that has begun, never ahead",
      ],
    ]) {
      h.printed.length = 0;
      h.stack.sns.published.length = 0;
      const refused = await h.run({ digest: true, scheduledTime: time }, h.context());
      expect(refused, time).toMatchObject({ status: "failed", error: { type: "InvalidRequestError" } });
      expect((refused as { error: { message: string } }).error.message).toContain(message);
      expect(h.stack.sns.published).toEqual([]);
      const printed = h.printed.join("");
      expect(printed).toContain("Invalid cycle request");
      expect(printed).toContain('"InvalidEvents"');
    }
  });
});
