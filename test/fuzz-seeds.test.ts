import { describe, expect, it } from 'vitest';
import { FIXED_SEEDS, parseFuzzSeeds } from './support/fuzz-seeds.ts';

describe('FUZZ_SEEDS', () => {
  const random = () => 77;

  it('runs the fixed seeds and one random seed when unset', () => {
    expect(parseFuzzSeeds(undefined, random)).toEqual([...FIXED_SEEDS, 77]);
    expect(parseFuzzSeeds(' ', random)).toEqual([...FIXED_SEEDS, 77]);
  });

  it('runs exactly the seeds given, `random` drawing a new one', () => {
    expect(parseFuzzSeeds('123', random)).toEqual([123]);
    expect(parseFuzzSeeds('1, -2,random', random)).toEqual([1, -2, 77]);
  });

  it('refuses anything else, naming it and showing the form', () => {
    expect(() => parseFuzzSeeds('12,abc')).toThrow(/FUZZ_SEEDS: "abc" is neither an integer nor "random" \(example: FUZZ_SEEDS=.*,random\)/);
    expect(() => parseFuzzSeeds('1.5')).toThrow(/"1\.5"/);
    expect(() => parseFuzzSeeds('99999999999999999999')).toThrow(/neither an integer/);
  });
});
