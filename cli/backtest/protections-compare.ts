import type { BacktestRun } from "../../shared/application/backtest/run-backtest.ts";
import { money, signedMoney } from "../../shared/application/format.ts";
import { dec } from "../../shared/domain/money/decimal.ts";
import { protectionsOn, type RiskSettings } from "../../shared/domain/trading/risk-settings.ts";
import { UsageError } from "../cli-errors.ts";

const UNPROTECTED = " without protections";

/** The runs a strategy gets: as configured; with --compare-protections, also without its protections (the rest of its risk settings kept). */
export function variantsOf(risk: RiskSettings, compare: boolean): { label: string; risk: RiskSettings }[] {
  if (!compare) return [{ label: "", risk }];
  if (!protectionsOn(risk))
    throw new UsageError(
      "--compare-protections: no protection is on; give some in cdk.json's risk or with --risk (docs/risk.md)",
    );
  return [
    { label: "", risk },
    { label: UNPROTECTED, risk: { ...risk, protections: {} } },
  ];
}

/** How many BUY signals each protection kept from opening a position. */
export function blockedEntries(run: BacktestRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { result } of run.steps) {
    const by = result.protections?.blockedEntry;
    if (by) counts[by] = (counts[by] ?? 0) + 1;
  }
  return counts;
}

export const blockedText = (counts: Record<string, number>) => {
  const entries = Object.entries(counts);
  const total = entries.reduce((n, [, c]) => n + c, 0);
  return total === 0
    ? "no entry blocked"
    : `${total} entr${total === 1 ? "y" : "ies"} blocked (${entries.map(([p, c]) => `${p} ${c}`).join(", ")})`;
};

interface Compared {
  readonly strategy: { readonly name: string };
  readonly finalEquity: string;
  readonly blockedEntries: Record<string, number>;
}

/** Per strategy: what its protections blocked and what they changed in final equity. */
export function protectionsEffect(reports: readonly Compared[]): string {
  const lines = ["", "Protections, per strategy:"];
  for (const protectedRun of reports) {
    const bare = reports.find((r) => r.strategy.name === `${protectedRun.strategy.name}${UNPROTECTED}`);
    if (!bare) continue;
    const difference = dec(protectedRun.finalEquity).minus(bare.finalEquity);
    lines.push(
      `  ${protectedRun.strategy.name}: ${blockedText(protectedRun.blockedEntries)}; final equity ${money(protectedRun.finalEquity)} with them, ${money(bare.finalEquity)} without: ${signedMoney(difference)} USDT`,
    );
  }
  return `${lines.join("\n")}\n`;
}
