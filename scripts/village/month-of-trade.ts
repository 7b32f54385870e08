// A month of a village's trade, generated from a seed: who pays whom, for what and how much, in
// the mix the seed texts describe (purchases from co-ops with the commons in their prices, wages,
// favours between members, care and ecological stewardship, the cash boundary both ways, the
// treasury spending its funds). The plan keeps a model of every account so that each payment it
// lists is one the village's rules allow when the month is played in order: the payer stays above
// its floor, the payee below its ceiling, a cash-out only takes cashable credit, the treasury
// spends only what its funds hold. Demurrage is the one rule it leaves to the ledger (decay only
// lowers positive balances, which the model's margins absorb).
import { splitLevies } from "../../client/src/index.js";
import type { VillageProperties } from "./properties.js";

/** A village's people by role, as indexes into `names`. */
export interface Roster {
  names: string[];
  treasury: number;
  boundary: number;
  /** Co-ops sell offers, pay wages and credit stewardship. */
  coOps: number[];
  /** Everyone else; the first one is the steward who signs invitations. */
  people: number[];
}

export interface PlannedOffer {
  coOp: number;
  title: string;
  labour: bigint;
  ecological: bigint;
  care: bigint;
}

export type PlannedPayment =
  | { kind: "purchase"; payer: number; payee: number; offer: number; amount: bigint }
  | { kind: "wage" | "favour"; payer: number; payee: number; amount: bigint }
  | { kind: "stewardship"; payer: number; payee: number; amount: bigint; work: "Ecological" | "Care"; commons: string }
  | { kind: "cash-in" | "cash-out"; payer: number; payee: number; amount: bigint }
  | { kind: "treasury-spend"; payer: number; payee: number; amount: bigint; fund: number };

export type PlannedKind = PlannedPayment["kind"];

export interface MonthOfTrade {
  roster: Roster;
  offers: PlannedOffer[];
  payments: PlannedPayment[];
}

/** Out of 100 payments (the seed's mix, weighted towards buying from the village's co-ops). */
export const MIX: Record<PlannedKind, number> = {
  purchase: 40,
  wage: 22,
  favour: 15,
  stewardship: 11,
  "cash-in": 5,
  "cash-out": 3,
  "treasury-spend": 4,
};

const HOUR = 100_000n;
const QUARTER = 25_000n;
/**
 * The model stays this far inside every limit: for the decay it leaves out, and because a run
 * plays payments a little out of order (the next one whose parties are free) or loses some.
 */
const MARGIN = 2n * HOUR;
/** Co-ops per member: a village of 500 has 20. */
const MEMBERS_PER_CO_OP = 25;
const OFFERS_PER_CO_OP = 3;
/** Tries to find parties for a payment of a kind before taking another kind. */
const TRIES = 40;

export function villageRoster(size: number): Roster {
  if (!Number.isInteger(size) || size < 8) throw new Error(`a simulated village has at least 8 members, got ${size}`);
  const coOpCount = Math.max(2, Math.round(size / MEMBERS_PER_CO_OP));
  const names = ["Treasury", "Cashdesk"];
  const coOps: number[] = [];
  for (let c = 1; c <= coOpCount; c++) coOps.push(names.push(`Co-op ${String(c).padStart(2, "0")}`) - 1);
  const people: number[] = [];
  const width = String(size).length;
  for (let p = 1; names.length < size; p++) people.push(names.push(`Member ${String(p).padStart(width, "0")}`) - 1);
  return { names, treasury: 0, boundary: 1, coOps, people };
}

/** A small, fast, seeded generator (mulberry32): the same seed gives the same month. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface ModelAccount {
  balance: bigint;
  care: bigint;
  earned: bigint;
  /** Credit bought with cash: only that much may leave as cash again. */
  cashedIn: bigint;
}

/**
 * Plans `count` payments among a village of `size` members under `village`'s rules, the same
 * month for the same `seed`.
 */
export function planMonth(size: number, count: number, village: VillageProperties, seed = 1): MonthOfTrade {
  const roster = villageRoster(size);
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  /** A whole number of quarter hours in [min, max]. */
  const amountBetween = (min: bigint, max: bigint) => min + QUARTER * BigInt(Math.floor(random() * Number((max - min) / QUARTER + 1n)));

  const offers: PlannedOffer[] = roster.coOps.flatMap((coOp, c) =>
    Array.from({ length: OFFERS_PER_CO_OP }, (_, k) => ({
      coOp,
      title: `${["Bread", "Apples", "Repairs", "Firewood", "Honey", "Cheese"][(c + k) % 6]} from ${roster.names[coOp]}`,
      labour: amountBetween(HOUR / 2n, 2n * HOUR),
      ecological: amountBetween(0n, HOUR / 2n),
      care: amountBetween(0n, HOUR / 2n),
    })),
  );
  const price = (o: PlannedOffer) => o.labour + o.ecological + o.care;

  const accounts: ModelAccount[] = roster.names.map(() => ({ balance: 0n, care: 0n, earned: 0n, cashedIn: 0n }));
  const funds = village.funds.map(() => 0n);
  const floorOf = (a: ModelAccount) => {
    const widening = ((a.earned > 0n ? a.earned : 0n) * BigInt(village.limits.contribution_bp)) / 10_000n;
    const floor = BigInt(village.limits.floor) - widening;
    return floor < BigInt(village.limits.floor_cap) ? BigInt(village.limits.floor_cap) : floor;
  };
  const isMember = (i: number) => i !== roster.treasury && i !== roster.boundary;
  const canPay = (i: number, amount: bigint) => !isMember(i) || accounts[i]!.balance - amount >= floorOf(accounts[i]!) + MARGIN;
  const canReceive = (i: number, amount: bigint) => !isMember(i) || accounts[i]!.balance + amount <= BigInt(village.limits.ceiling) - MARGIN;

  /** Moves the credit as expected_after does for the kinds planned here. */
  const apply = (p: PlannedPayment) => {
    const [from, to] = [accounts[p.payer]!, accounts[p.payee]!];
    let credited = p.amount;
    let careReceived = 0n;
    if (p.kind === "purchase" || p.kind === "wage" || p.kind === "favour" || p.kind === "stewardship") {
      const split = splitLevies(
        p.amount,
        village.funds.map((f) => f.levy_bp),
        village.remainder_fund,
      );
      for (const [f, levy] of split.toFunds.entries()) funds[f]! += levy;
      credited = split.toPayee;
      const careSpent = from.care < p.amount ? from.care : p.amount;
      from.care -= careSpent;
      careReceived = p.kind === "stewardship" && p.work === "Care" ? credited : careSpent < credited ? careSpent : credited;
    }
    if (p.kind === "treasury-spend") funds[p.fund]! -= p.amount;
    else from.balance -= p.amount;
    to.balance += credited;
    if (p.kind === "cash-in") to.cashedIn += credited;
    if (p.kind === "cash-out") from.cashedIn -= p.amount;
    if (p.kind !== "cash-in" && p.kind !== "cash-out") to.earned += credited;
    const positive = (b: bigint) => (b > 0n ? b : 0n);
    to.care = to.care + careReceived < positive(to.balance) ? to.care + careReceived : positive(to.balance);
    from.care = from.care < positive(from.balance) ? from.care : positive(from.balance);
  };

  /** Parties for one payment of `kind`, or nothing when none fit the model's limits. */
  const plan = (kind: PlannedKind): PlannedPayment | undefined => {
    for (let t = 0; t < TRIES; t++) {
      const person = pick(roster.people);
      switch (kind) {
        case "purchase": {
          const offer = Math.floor(random() * offers.length);
          const o = offers[offer]!;
          if (canPay(person, price(o)) && canReceive(o.coOp, price(o))) return { kind, payer: person, payee: o.coOp, offer, amount: price(o) };
          break;
        }
        case "wage": {
          const coOp = pick(roster.coOps);
          const amount = amountBetween(HOUR / 2n, 3n * HOUR);
          if (canPay(coOp, amount) && canReceive(person, amount)) return { kind, payer: coOp, payee: person, amount };
          break;
        }
        case "favour": {
          const other = pick(roster.people);
          const amount = amountBetween(QUARTER, 2n * HOUR);
          if (other !== person && canPay(person, amount) && canReceive(other, amount)) return { kind, payer: person, payee: other, amount };
          break;
        }
        case "stewardship": {
          const coOp = pick(roster.coOps);
          const amount = amountBetween(HOUR / 2n, 2n * HOUR);
          const care = random() < 0.5;
          const stewardship = { work: care ? ("Care" as const) : ("Ecological" as const), commons: care ? "elder care" : "watershed" };
          if (canPay(coOp, amount) && canReceive(person, amount)) return { kind, payer: coOp, payee: person, amount, ...stewardship };
          break;
        }
        case "cash-in": {
          const amount = amountBetween(HOUR, 5n * HOUR);
          if (canReceive(person, amount)) return { kind, payer: roster.boundary, payee: person, amount };
          break;
        }
        case "cash-out": {
          const a = accounts[person]!;
          const cashable = a.balance - a.care < a.cashedIn ? a.balance - a.care : a.cashedIn;
          if (cashable >= HOUR) return { kind, payer: person, payee: roster.boundary, amount: (cashable / 2n / QUARTER) * QUARTER };
          break;
        }
        case "treasury-spend": {
          const fund = Math.floor(random() * funds.length);
          const amount = amountBetween(HOUR / 2n, 2n * HOUR);
          if (funds[fund]! >= 4n * amount && canReceive(person, amount)) return { kind, payer: roster.treasury, payee: person, amount, fund };
          break;
        }
      }
    }
    return undefined;
  };

  const weighted = Object.entries(MIX) as [PlannedKind, number][];
  const totalWeight = weighted.reduce((sum, [, w]) => sum + w, 0);
  const drawKind = (): PlannedKind => {
    let r = random() * totalWeight;
    for (const [kind, w] of weighted) {
      r -= w;
      if (r < 0) return kind;
    }
    return weighted[0]![0];
  };
  const payments: PlannedPayment[] = [];
  while (payments.length < count) {
    // A kind with no parties that fit (a cash-out before anyone bought cash) gives way to a favour or a wage.
    const planned = plan(drawKind()) ?? plan("wage") ?? plan("favour");
    if (!planned) throw new Error(`no payment fits the village's limits after ${payments.length} payments`);
    apply(planned);
    payments.push(planned);
  }
  return { roster, offers, payments };
}
