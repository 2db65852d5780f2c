import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TURN_WAIT_MS } from "../../cli/local/local-store.ts";
import { MAX_RESPONSE_BYTES } from "../../shared/adapters/channels/channel-sender.ts";
import { MAX_ITEM_BYTES } from "../../shared/adapters/dynamodb/item-size.ts";
import { MAX_SNS_MESSAGE_BYTES } from "../../shared/adapters/sns/sns-alert-publisher.ts";
import { MAX_ALERT_ATTEMPTS } from "../../shared/application/alerts/deliver-alerts.ts";
import { MAX_ALERT_ID } from "../../shared/application/cut-text.ts";
import { ECHO_CHARS } from "../../shared/application/cycle/index.ts";
import { MAX_SETTINGS } from "../../shared/application/optimize/search-space.ts";
import { MAX_RISK_EXITS, MAX_RISK_MARKS } from "../../shared/domain/trading/risk-state.ts";

const OPERATIONS = readFileSync("docs/operations.md", "utf8");
const row = (what: string) => OPERATIONS.split("\n").find((line) => line.startsWith(`| ${what} |`)) ?? "";
const n = (value: number) => value.toLocaleString("en");

describe("docs/operations.md's bounds are the code's", () => {
  it.each([
    ["the account item (DynamoDB)", `${n(MAX_ITEM_BYTES)} bytes`],
    ["the protections' equity marks", `${n(MAX_RISK_MARKS)} (about 100 KB)`],
    ["the protections' recent exits", `${n(MAX_RISK_EXITS)}, the newest kept`],
    ["an alert's id", `${MAX_ALERT_ID} printable characters`],
    ["an SNS message", `${n(MAX_SNS_MESSAGE_BYTES)} bytes`],
    ["a channel's answer read by a notifier", `${n(MAX_RESPONSE_BYTES)} bytes`],
    ["echoed input (events, upstream errors)", `${ECHO_CHARS} characters in results`],
    ["a delivery's attempts at one alert", `${MAX_ALERT_ATTEMPTS}, then a dead letter`],
    ["one optimizer search", `${n(MAX_SETTINGS)} settings`],
    ["several local commands on one folder", `up to ${TURN_WAIT_MS / 1000} s`],
  ])("%s: %s", (what, figure) => {
    expect(row(what)).toContain(figure);
  });
});
