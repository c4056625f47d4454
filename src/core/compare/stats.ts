// The numbers behind a speed comparison: medians, and the 95 % confidence interval of the ratio of
// medians B/A by a percentile bootstrap. The bootstrap, not a t-interval, because per-operation
// times under TCG are skewed and upstream's own rnull-vs-null_blk page warns its samples were not
// normal; its generator is seeded so that the same samples always give the same interval.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BOOTSTRAP_RESAMPLES = 2000;
export const INTERVAL_METHOD = `percentile bootstrap of the ratio of medians (${BOOTSTRAP_RESAMPLES} resamples of each side)`;

export interface RatioEstimate {
  ratio: number;
  /** Undefined with fewer than 2 samples on a side: no interval can be given. */
  ci95?: [number, number];
}

/** median(b)/median(a) and its bootstrap 95 % interval. */
export function ratioOfMedians(a: readonly number[], b: readonly number[], resamples = BOOTSTRAP_RESAMPLES, seed = 0x5eed): RatioEstimate {
  const ratio = median(b) / median(a);
  if (a.length < 2 || b.length < 2) return { ratio };
  const random = seededRandom(seed);
  const resample = (values: readonly number[]) => median(Array.from(values, () => values[Math.floor(random() * values.length)] ?? 0));
  const ratios: number[] = [];
  for (let i = 0; i < resamples; i++) ratios.push(resample(b) / resample(a));
  ratios.sort((x, y) => x - y);
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.round(q * (ratios.length - 1))))] ?? Number.NaN;
  return { ratio, ci95: [at(0.025), at(0.975)] };
}
