// Which seeds the property-based tests run with, and the one way they run a property.
//
// FUZZ_SEEDS is a comma-separated list of integers and the word `random` (a new seed each run). Unset, it
// is FIXED_SEEDS plus one random seed: every run repeats the same cases, and still explores new ones.
// A property's runs are shared among the seeds, so more seeds do not make a run longer. A failure
// names its seed and the command that repeats it with that seed alone, all of its runs.
import fc from 'fast-check';

/** The seeds every run repeats (CI included). */
export const FIXED_SEEDS: readonly number[] = [20_261_130, 424_242];

export function parseFuzzSeeds(value: string | undefined, random: () => number = () => Math.floor(Math.random() * 2 ** 31)): number[] {
  if (value === undefined || value.trim() === '') return [...FIXED_SEEDS, random()];
  return value.split(',').map((part) => {
    const token = part.trim();
    if (token === 'random') return random();
    if (!/^-?\d+$/.test(token) || !Number.isSafeInteger(Number(token))) {
      throw new Error(`FUZZ_SEEDS: "${token}" is neither an integer nor "random" (example: FUZZ_SEEDS=${FIXED_SEEDS.join(',')},random)`);
    }
    return Number(token);
  });
}

export const FUZZ_SEEDS: readonly number[] = parseFuzzSeeds(process.env.FUZZ_SEEDS);

/** Logs the seeds once, at the start of a file's properties, so a run can be repeated even when it passed. */
export function logFuzzSeeds(file: string): void {
  console.info(`fuzz seeds of ${file}: ${FUZZ_SEEDS.join(',')} (repeat with FUZZ_SEEDS=${FUZZ_SEEDS.join(',')} npx vitest run ${file})`);
}

/**
 * fc.assert over every seed of FUZZ_SEEDS, `numRuns` shared among them (each seed at least one run).
 * The failure's message starts with the seed and the command that repeats it.
 */
export async function assertProperty<Ts>(
  property: fc.IAsyncPropertyWithHooks<Ts> | fc.IPropertyWithHooks<Ts>,
  params: fc.Parameters<Ts> & { numRuns: number },
  file = 'test/fuzz.test.ts',
): Promise<void> {
  const share = Math.max(1, Math.ceil(params.numRuns / FUZZ_SEEDS.length));
  for (const seed of FUZZ_SEEDS) {
    try {
      await fc.assert(property, { ...params, seed, numRuns: FUZZ_SEEDS.length === 1 ? params.numRuns : share });
    } catch (error) {
      const repeat = `FUZZ_SEEDS=${seed} npx vitest run ${file}`;
      if (error instanceof Error) {
        error.message = `fuzz seed ${seed} failed (repeat: ${repeat})\n${error.message}`;
        throw error;
      }
      throw new Error(`fuzz seed ${seed} failed (repeat: ${repeat}): ${String(error)}`);
    }
  }
}
