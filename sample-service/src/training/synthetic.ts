/**
 * A synthetic stand-in for the classic insurance-charges data set (the real one is not
 * downloadable here). Every row is drawn from a seeded generator, so the same seed always gives
 * the same data.
 *
 * Features:
 *   age      integer, uniform 18..64
 *   sex      female | male, 50/50
 *   bmi      normal(30.7, 6.1) clipped to 16..53, two decimals
 *   children integer 0..5 with probabilities .43 .24 .18 .12 .02 .01
 *   smoker   yes with probability .2
 *   region   northeast | northwest | southeast | southwest, uniform
 *
 * Yearly charges (see expectedCharges), then noise ~ normal(0, 2000), floored at 1100:
 *   2000 + 260·age + 500·children + 320·max(0, bmi − 25) + 150·[male]
 *   + region offset (northeast 800, northwest 400, southeast 0, southwest −300)
 *   + [smoker]·(20000 + 15000·[bmi ≥ 30])
 */

export const SEXES = ['female', 'male'] as const;
export const SMOKER = ['no', 'yes'] as const;
export const REGIONS = ['northeast', 'northwest', 'southeast', 'southwest'] as const;
export const NOISE_STD = 2000;

export type InsuranceFeatures = {
  readonly age: number;
  readonly sex: (typeof SEXES)[number];
  readonly bmi: number;
  readonly children: number;
  readonly smoker: (typeof SMOKER)[number];
  readonly region: (typeof REGIONS)[number];
};

export type InsuranceRow = InsuranceFeatures & { readonly charges: number };

/** mulberry32: a tiny 32-bit PRNG; good enough for reproducible synthetic data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw by Box–Muller. */
export function standardNormal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const REGION_OFFSET: Record<InsuranceFeatures['region'], number> = {
  northeast: 800,
  northwest: 400,
  southeast: 0,
  southwest: -300,
};

/** The noise-free charges the generator is built on. */
export function expectedCharges(row: InsuranceFeatures): number {
  const smoking = row.smoker === 'yes' ? 20000 + (row.bmi >= 30 ? 15000 : 0) : 0;
  return (
    2000 +
    260 * row.age +
    500 * row.children +
    320 * Math.max(0, row.bmi - 25) +
    (row.sex === 'male' ? 150 : 0) +
    REGION_OFFSET[row.region] +
    smoking
  );
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

const CHILDREN_CUMULATIVE = [0.43, 0.67, 0.85, 0.97, 0.99, 1];

export function generateRows(count: number, seed: number): InsuranceRow[] {
  const random = seededRandom(seed);
  const rows: InsuranceRow[] = [];
  for (let i = 0; i < count; i += 1) {
    const age = 18 + Math.floor(random() * 47);
    const sex = pick(SEXES, random);
    const bmi = Math.round(Math.min(53, Math.max(16, 30.7 + 6.1 * standardNormal(random))) * 100) / 100;
    const draw = random();
    const children = CHILDREN_CUMULATIVE.findIndex((threshold) => draw < threshold);
    const smoker = random() < 0.2 ? 'yes' : 'no';
    const region = pick(REGIONS, random);
    const features: InsuranceFeatures = { age, sex, bmi, children, smoker, region };
    const noisy = expectedCharges(features) + NOISE_STD * standardNormal(random);
    rows.push({ ...features, charges: Math.round(Math.max(1100, noisy) * 100) / 100 });
  }
  return rows;
}
