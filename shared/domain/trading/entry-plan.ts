/**
 * What a BUY asks for, whichever strategy made it: the entry, the exits (an optional stop loss,
 * up to two targets), and how much to buy.
 */
export interface EntryPlan {
  readonly entry: number;
  readonly stopLoss?: number | undefined;
  /**
   * Up to two targets, ascending: the first sells `fraction` of the position (0 < fraction < 1)
   * unless it is the only one with fraction 1; the last, or a lone one with fraction 1, sells the rest.
   */
  readonly targets: readonly Target[];
  /** After the first target, the stop moves to the entry price. */
  readonly stopToEntryAfterFirstTarget: boolean;
  /** How much to buy; default the timeframe's stake fraction of equity. */
  readonly size?: EntrySize | undefined;
  /** Buy although the pair's position is open, averaging its entry price (DCA). */
  readonly addToPosition?: boolean | undefined;
}

export interface Target {
  readonly price: number;
  readonly fraction: number;
}

export type EntrySize = { readonly equityFraction: number } | { readonly quoteAmount: number };

/** Refuses a plan the exits cannot follow; names what is wrong. */
export function checkEntryPlan(plan: EntryPlan): void {
  const { targets, entry, stopLoss } = plan;
  if (!(entry > 0)) throw new RangeError(`the entry must be a positive price, got ${entry}`);
  if (stopLoss !== undefined && !(stopLoss > 0 && stopLoss < entry))
    throw new RangeError(`the stop loss must be a positive price below the entry, got ${stopLoss}`);
  if (targets.length > 2) throw new RangeError(`at most two targets, got ${targets.length}`);
  for (const [i, t] of targets.entries()) {
    if (!(t.price > entry)) throw new RangeError(`target ${i + 1} must be above the entry, got ${t.price}`);
    if (!(t.fraction > 0 && t.fraction <= 1))
      throw new RangeError(`target ${i + 1} must sell a fraction in (0, 1], got ${t.fraction}`);
  }
  if (
    targets.length === 2 &&
    !((targets[0]?.fraction ?? 1) < 1 && (targets[1]?.price ?? 0) > (targets[0]?.price ?? 0))
  )
    throw new RangeError("with two targets, the first sells part of the position and the second is higher");
}
