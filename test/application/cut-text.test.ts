import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alertOfRecord } from "../../shared/adapters/channels/notifier.ts";
import { cutToBytes } from "../../shared/adapters/sns/sns-alert-publisher.ts";
import {
  boundedId,
  cutText,
  echoJson,
  ellipsis,
  headOf,
  MAX_ALERT_ID,
} from "../../shared/application/cut-text.ts";

const segments = (text: string) =>
  [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)].map((s) => s.segment);
const FAMILY = "👨‍👩‍👧‍👦"; // 11 UTF-16 units, one grapheme
const FLAG = "🇺🇦";
const SKIN = "👍🏽";

describe("texts are cut on grapheme boundaries", () => {
  it("keeps an emoji, a flag or a letter with its accent whole or leaves it out whole", () => {
    const text = `ab${FAMILY}cd${FLAG}e${SKIN}f\u0065\u0301g`;
    for (let max = 0; max <= text.length; max++) {
      const head = headOf(text, max);
      expect(head.length).toBeLessThanOrEqual(max);
      expect(text.startsWith(head)).toBe(true);
      // Every grapheme of the head is one of the text's, whole.
      expect(segments(head)).toEqual(segments(text).slice(0, segments(head).length));
    }
    expect(headOf(text, 5)).toBe("ab");
    expect(headOf(text, 13)).toBe(`ab${FAMILY}`);
  });

  it("holds for generated texts of emoji, flags and combining marks (property)", () => {
    const piece = fc.constantFrom("a", "é", "e\u0301", FAMILY, FLAG, SKIN, "字", "😀");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.nat(300), (pieces, max) => {
        const text = pieces.join("");
        const head = headOf(text, max);
        expect(head.length).toBeLessThanOrEqual(max);
        expect(segments(text).slice(0, segments(head).length).join("")).toBe(head);
        expect(head.includes("\uFFFD")).toBe(false);
      }),
    );
  });

  it("cutText, ellipsis (Telegram, Discord, Slack) and SNS's byte cut never leave a broken character", () => {
    const text = FAMILY.repeat(100);
    for (const cut of [cutText(text, 50), ellipsis(text, 50), cutToBytes(text, 300)]) {
      expect(
        cut.replace(/ … \[\d+ more characters cut\]$|…$|\n\[message cut: too long for SNS\]$/, ""),
      ).toMatch(new RegExp(`^(${FAMILY})*$`, "u"));
      expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut)).toBe(false);
    }
  });
});

describe("an alert id is bounded", () => {
  it("keeps a short ASCII id as it is; a huge or non-ASCII one becomes a readable start and a hash of the whole", () => {
    const id = "paper/BNBUSDT/4h/2025-05-18T16:00:00.000Z/entry";
    expect(boundedId(id)).toBe(id);
    const huge = "x".repeat(100_000);
    expect(boundedId(huge).length).toBeLessThanOrEqual(MAX_ALERT_ID);
    expect(boundedId(huge)).toBe(boundedId(huge)); // the same id: a repeat is still dropped
    expect(boundedId(huge)).not.toBe(boundedId(`${huge}y`)); // a different one stays different
    expect(boundedId(`${FAMILY} alert`)).toMatch(/^[\x20-\x7e]+$/);
  });

  it("as the notifier reads it from a topic message (it goes out in a header: Slack answered 431 to 100,000 characters)", () => {
    const alert = alertOfRecord({
      Sns: {
        MessageId: "m-1",
        Subject: "BUY",
        Message: "text",
        MessageAttributes: {
          event: { Type: "String", Value: "entry" },
          alertId: { Type: "String", Value: "i".repeat(100_000) },
        },
      },
    } as never);
    expect(alert.id.length).toBeLessThanOrEqual(MAX_ALERT_ID);
  });
});

describe("an echoed value", () => {
  it("names a value too deeply nested to print instead of throwing", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(echoJson(deep, 100)).toBe("(a value too deeply nested or cyclic to print)");
  });
});
