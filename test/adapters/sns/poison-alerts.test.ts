import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSnsClient,
  MAX_SNS_MESSAGE_BYTES,
  SnsAlertPublisher,
} from "../../../shared/adapters/sns/sns-alert-publisher.ts";
import { failureAlert } from "../../../shared/application/alerts/alert-messages.ts";
import { deliverAlerts, MAX_ALERT_ATTEMPTS } from "../../../shared/application/alerts/deliver-alerts.ts";
import {
  type Alert,
  AlertRefusedError,
  AlertServiceUnavailableError,
} from "../../../shared/application/ports/alerts.ts";
import { silentLogger } from "../../../shared/application/ports/logger.ts";
import { dec } from "../../../shared/domain/money/decimal.ts";
import { BACKENDS, LOCAL_CREDENTIALS, TestDynamoDb } from "../../helpers/local-dynamodb.ts";
import { SnsTestEndpoint } from "../../helpers/sns-test-endpoint.ts";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:trade-alerts";
const T0 = Date.UTC(2026, 0, 5);
let sns: SnsTestEndpoint;
const publisher = () =>
  new SnsAlertPublisher(
    createSnsClient({ endpoint: sns.url, region: "us-east-1", credentials: LOCAL_CREDENTIALS }),
    TOPIC,
  );
const alertNo = (n: number, message = `alert ${n}`): Alert => ({
  id: `paper/BNBUSDT/1h/${n}/entry`,
  subject: `BUY ${n}`,
  message,
  attributes: { event: "entry", symbol: "BNBUSDT", timeframe: "1h", action: "BUY" },
});

beforeAll(async () => {
  sns = await SnsTestEndpoint.start();
});
afterAll(async () => sns.close());

describe("the SNS publisher against SNS's wire format", () => {
  it("cuts a message SNS would refuse as too long, and it is delivered", async () => {
    sns.published.length = 0;
    await publisher().publish(alertNo(1, "é".repeat(200_000))); // 400,000 bytes
    const [published] = sns.published;
    expect(Buffer.byteLength(published?.message ?? "")).toBeLessThanOrEqual(MAX_SNS_MESSAGE_BYTES);
    expect(published?.message.endsWith("\n[message cut: too long for SNS]")).toBe(true);
    expect(published?.message.includes("\uFFFD")).toBe(false);
  });

  it("tells a refusal of the alert (InvalidParameter) from a throttle, a fault of the system, SNS down", async () => {
    const failure = async (code: string) => {
      sns.refuse = () => code;
      try {
        return await publisher()
          .publish(alertNo(2))
          .then(() => undefined)
          .catch((e: unknown) => e);
      } finally {
        sns.refuse = () => undefined;
      }
    };
    for (const code of ["InvalidParameter", "InvalidParameterValue"]) {
      const error = await failure(code);
      expect(error).toBeInstanceOf(AlertRefusedError);
      expect((error as Error).message).toContain(`SNS refused alert paper/BNBUSDT/1h/2/entry: ${code}`);
    }
    for (const [code, kind] of [
      ["Throttling", "throttled"],
      ["Throttled", "throttled"],
      ["KMSThrottling", "throttled"],
      ["KMSDisabled", "system-fault"],
      ["KMSAccessDenied", "system-fault"],
      ["AuthorizationError", "system-fault"],
      ["NotFound", "system-fault"],
    ] as const) {
      const error = await failure(code);
      expect(error, code).toBeInstanceOf(AlertServiceUnavailableError);
      expect((error as AlertServiceUnavailableError).kind, code).toBe(kind);
    }
    sns.down = true;
    const down = await publisher()
      .publish(alertNo(4))
      .catch((e: unknown) => e);
    sns.down = false;
    expect(down).toBeInstanceOf(Error);
    expect(down).not.toBeInstanceOf(AlertRefusedError);
    expect(down).not.toBeInstanceOf(AlertServiceUnavailableError);
  }, 30_000);
});

describe.each(BACKENDS)("the outbox on %s: one poison alert never blocks the others", (backend) => {
  let db: TestDynamoDb;
  beforeAll(async () => {
    db = await TestDynamoDb.start(backend);
  });
  afterAll(async () => db.close());

  const deps = async () => {
    const { repository, outbox } = await db.repository();
    await repository.openAccount("paper", dec("10000"), new Date(T0), "USDT");
    let now = T0;
    return {
      outbox,
      deps: { outbox, alerts: publisher(), logger: silentLogger, now: () => (now += 120_000) },
    };
  };

  it("sets a refused alert aside as a dead letter and delivers the next ones", async () => {
    const { outbox, deps: d } = await deps();
    const poison = failureAlert("paper", "BNBUSDT", "1h", T0, T0 + 3_600_000, {
      type: "BinanceApiError",
      message: "x".repeat(300_000), // a Binance 400 whose msg is 300 KB
      retryable: false,
    });
    expect(poison.message.length).toBeLessThan(2_000); // the upstream's text is cut at the source
    await outbox.queueAlertOnce("paper", "FAILURE", "BNBUSDT", "1h", T0, {
      ...poison,
      message: "poison",
    });
    await outbox.queueAlertOnce("paper", "FAILURE", "BNBUSDT", "1h", T0 + 3_600_000, alertNo(5));
    sns.published.length = 0;
    sns.refuse = (message) => (message === "poison" ? "InvalidParameter" : undefined);
    try {
      const delivery = await deliverAlerts(d, "paper");
      expect(delivery).toEqual({ sent: 1, failed: 0, setAside: 1 });
    } finally {
      sns.refuse = () => undefined;
    }
    expect(sns.published.map((p) => p.message)).toEqual(["alert 5"]);
    expect(await outbox.pendingAlerts("paper", 10)).toEqual([]);
    const [letter] = await outbox.deadLetters("paper", 10);
    expect(letter).toMatchObject({ id: poison.id, message: "poison", attempts: 0 });
    expect(letter?.reason).toContain("AlertRefusedError: SNS refused alert");
    expect(letter?.reason).toContain("InvalidParameter");
  }, 60_000);

  it("keeps an alert while SNS is down, counting each attempt, and sets it aside after the last", async () => {
    const { outbox, deps: d } = await deps();
    await outbox.queueAlertOnce("paper", "FAILURE", "BNBUSDT", "1h", T0, alertNo(6));
    sns.down = true;
    try {
      for (let i = 1; i < MAX_ALERT_ATTEMPTS; i++) {
        expect(await deliverAlerts(d, "paper")).toEqual({ sent: 0, failed: 1 });
        const [pending] = await outbox.pendingAlerts("paper", 10);
        expect(pending?.attempts).toBe(i);
      }
      expect(await deliverAlerts(d, "paper")).toEqual({ sent: 0, failed: 0, setAside: 1 });
    } finally {
      sns.down = false;
    }
    expect(await outbox.pendingAlerts("paper", 10)).toEqual([]);
    const [letter] = await outbox.deadLetters("paper", 10);
    expect(letter?.reason).toMatch(new RegExp(`^not sent after ${MAX_ALERT_ATTEMPTS} attempts: `));
  }, 120_000);

  it.each(["Throttling", "KMSThrottling", "KMSDisabled"])(
    "keeps every queued alert when SNS answers %s: none set aside, no attempt counted, all sent once it takes them",
    async (code) => {
      const { outbox, deps: d } = await deps();
      for (let n = 1; n <= 3; n++)
        await outbox.queueAlertOnce("paper", "FAILURE", "BNBUSDT", "1h", T0 + n * 3_600_000, alertNo(10 + n));
      sns.published.length = 0;
      sns.refuse = () => code;
      try {
        for (let i = 0; i < 3; i++) {
          const delivery = await deliverAlerts(d, "paper");
          expect(delivery).toMatchObject({ sent: 0, failed: 1 });
          expect(delivery.blocked).toContain(code);
        }
      } finally {
        sns.refuse = () => undefined;
      }
      expect(await outbox.deadLetters("paper", 10)).toEqual([]);
      const pending = await outbox.pendingAlerts("paper", 10);
      expect(pending.map((a) => [a.id, a.attempts ?? 0])).toEqual(
        [11, 12, 13].map((n) => [alertNo(n).id, 0]),
      );
      expect(await deliverAlerts(d, "paper")).toEqual({ sent: 3, failed: 0 });
      expect(sns.published.map((p) => p.message)).toEqual(["alert 11", "alert 12", "alert 13"]);
    },
    120_000,
  );
});
