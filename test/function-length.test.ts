import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isChecked, longFunctionsIn, MAX_FUNCTION_LINES } from '../scripts/check-function-length.ts';

/** A function declaration `lines` lines long, first line to last. */
function functionOf(name: string, lines: number): string {
  const additions = Array.from({ length: lines - 4 }, (_, i) => `  total += ${i};`);
  return [`export function ${name}(): number {`, '  let total = 0;', ...additions, '  return total;', '}'].join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'function-length-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the function-length check', () => {
  it('lets a 60-line function pass and refuses a 61-line one, naming it with its file, line and length', () => {
    expect(MAX_FUNCTION_LINES).toBe(60);
    expect(functionOf('f', 60).split('\n')).toHaveLength(60);
    expect(longFunctionsIn('ok.ts', functionOf('sixty', 60))).toEqual([]);
    const text = `// a header\n\n${functionOf('sixtyOne', 61)}\n`;
    expect(longFunctionsIn('long.ts', text)).toEqual([{ file: 'long.ts', line: 3, name: 'sixtyOne', length: 61 }]);
  });

  it('counts arrows, methods and callbacks by the name they are bound to', () => {
    const arrow = functionOf('inner', 61).replace('export function inner(): number {', 'export const bound = (): number => {');
    const method = `class Poller {\n${functionOf('sweep', 61).replace('export function ', '')}\n}`;
    expect(longFunctionsIn('a.ts', `${arrow}\n${method}`).map((f) => [f.name, f.length])).toEqual([
      ['bound', 61],
      ['sweep', 61],
    ]);
  });

  it('skips tests, test support and generated code', () => {
    expect(isChecked('core/portals.ts')).toBe(true);
    expect(isChecked('core/portals.test.ts')).toBe(false);
    expect(isChecked('test/support/fake-slack.ts')).toBe(false);
    expect(isChecked('bot/gql/graphql.ts')).toBe(false);
    expect(isChecked('scripts/build.mjs')).toBe(false);
  });

  it('exits 1 and prints file:line name length for an offender, 0 when every function fits', () => {
    writeFileSync(join(dir, 'long.ts'), functionOf('tooLong', 61));
    writeFileSync(join(dir, 'short.ts'), functionOf('fits', 60));
    const run = (file: string) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check-function-length.ts', join(dir, file)], { encoding: 'utf8' });
    const long = run('long.ts');
    expect(long.status).toBe(1);
    expect(long.stdout).toMatch(/long\.ts:1 tooLong 61\n$/);
    const short = run('short.ts');
    expect(short.stdout).toBe('');
    expect(short.status).toBe(0);
  });
});
