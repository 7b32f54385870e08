// Village parameters as DNA properties (the wire form: plain integers, agent keys as lists of 39
// byte values, because the conductor reads properties as YAML, which has no bytes). The
// treasury, boundary, steward and witness keys are filled in when a village is founded
// (village.ts), because agent keys exist only once the conductors do.
export interface VillageProperties {
  village_name: string;
  unit: string;
  decimals: number;
  limits: { floor: number; ceiling: number; contribution_bp: number; floor_cap: number; window_secs: number };
  funds: { name: string; levy_bp: number }[];
  remainder_fund: number;
  commons_fund: number;
  demurrage: { grace_secs: number; period_secs: number; rate_ppm: number };
  cash_out: { fee_bp: number; wait_secs: number };
  treasury: number[] | null;
  boundary: number[] | null;
  /** The founding stewards: they sign invitations. */
  stewards: number[][];
  /** The village's witnesses: a majority countersigns every payment and attests its parties' chain tops. */
  witnesses: number[][];
  /** The name each of the treasury, the boundary and the stewards is listed under (founders carry no invitation). */
  founder_names: { agent: number[]; name: string }[];
}

const DAY_SECS = 86_400;

/** The seed village (dna/workdir/dna.yaml): the numbers of ../shared/notes/domain.md. 100 000 = 1 h. */
export const SEED_PROPERTIES: VillageProperties = {
  village_name: "Riverside",
  unit: "h",
  decimals: 5,
  limits: { floor: -2_000_000, ceiling: 2_000_000, contribution_bp: 2_000, floor_cap: -5_000_000, window_secs: 90 * DAY_SECS },
  funds: [
    { name: "State", levy_bp: 750 },
    { name: "Community", levy_bp: 250 },
  ],
  remainder_fund: 1,
  commons_fund: 1,
  demurrage: { grace_secs: 90 * DAY_SECS, period_secs: 30 * DAY_SECS, rate_ppm: 5_000 },
  cash_out: { fee_bp: 1_000, wait_secs: 3 * DAY_SECS },
  treasury: null,
  boundary: null,
  stewards: [],
  witnesses: [],
  founder_names: [],
};

/**
 * Plain mutual credit (seed 000's example ledger): no levies, fixed limits of +/- 20 h. The
 * foundation's tests run here, so their numbers are the seed ledger's own.
 */
export const PLAIN_PROPERTIES: VillageProperties = {
  ...SEED_PROPERTIES,
  limits: { ...SEED_PROPERTIES.limits, contribution_bp: 0 },
  funds: [{ name: "Community", levy_bp: 0 }],
  remainder_fund: 0,
  commons_fund: 0,
};
