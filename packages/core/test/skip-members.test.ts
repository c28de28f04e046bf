import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemberSkipper } from '../src/io/skip-members.js';
import { seededRandom } from '../src/reader/selection.js';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'skip-members');

async function linesOf(name: string): Promise<string[]> {
  return (await readFile(path.join(fixtures, name), 'utf8')).split('\n').filter((line) => line.length > 0);
}

/** What the skipper leaves of `line`, parsed; undefined when it cut nothing. */
function cutAndParse(skipper: MemberSkipper, line: string): unknown {
  const bytes = Buffer.from(`padding before\n${line}\nand after`);
  const start = bytes.indexOf('\n') + 1;
  const kept = skipper.cut(bytes, start, bytes.lastIndexOf('\n'));
  return kept === undefined ? undefined : JSON.parse(kept.toString('utf8'));
}

/** `JSON.parse(line)` with the members at `paths` deleted: what the cut must come to. */
function parsedWithout(line: string, paths: string[]): unknown {
  const value = JSON.parse(line);
  for (const keys of paths.map((p) => p.split('.'))) {
    let object = value;
    for (const key of keys.slice(0, -1)) object = object?.[key];
    if (object !== null && typeof object === 'object') delete object[keys.at(-1) as string];
  }
  return value;
}

describe('MemberSkipper on real lines', () => {
  it.each([
    ['claude-code-2.1.330.jsonl', 6],
    ['claude-code-2.0.76.jsonl', 4],
  ])('cuts toolUseResult from %s, wherever the CLI writes it, and nothing else', async (name, withKey) => {
    const skipper = new MemberSkipper(['toolUseResult']);
    let cut = 0;
    for (const line of await linesOf(name)) {
      const result = cutAndParse(skipper, line);
      if (!line.includes('"toolUseResult"')) {
        expect(result).toBeUndefined();
        continue;
      }
      cut += 1;
      expect(result).toEqual(parsedWithout(line, ['toolUseResult']));
      expect(result).not.toHaveProperty('toolUseResult');
    }
    expect(cut).toBe(withKey);
  });

  it('cuts a nested member from Codex item_completed events and leaves other lines alone', async () => {
    const skipper = new MemberSkipper(['payload.item.aggregated_output']);
    let cut = 0;
    for (const line of await linesOf('codex-0.169.0.jsonl')) {
      const result = cutAndParse(skipper, line);
      if (JSON.parse(line).payload?.item?.aggregated_output === undefined) {
        expect(result).toBeUndefined();
        continue;
      }
      cut += 1;
      const expected = parsedWithout(line, ['payload.item.aggregated_output']) as { payload: { item: Record<string, unknown> } };
      expect(result).toEqual(expected);
      // The rest of the item is all there.
      expect(Object.keys(expected.payload.item)).toContain('exit_code');
    }
    expect(cut).toBe(1);
  });
});

describe('MemberSkipper on random objects', () => {
  it('leaves what JSON.parse and a delete leave, wherever the members sit and however the line is spaced', () => {
    const next = seededRandom(3);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const texts = ['', 'plain', 'say "hi" \\ \n', '}{][,:', 'é 中 😀', '"skip":1', '\\"', 'x'.repeat(70)];
    const keys = ['skip', 'also', 'outer', 'inner', 'keep', 'k'];
    const randomValue = (depth: number): unknown => {
      const kind = depth > 3 ? Math.floor(next() * 4) : Math.floor(next() * 6);
      if (kind === 0) return pick(texts);
      if (kind === 1) return pick([0, -1.5e3, 42, true, false, null]);
      if (kind === 2) return `${pick(texts)}${pick(texts)}`;
      if (kind === 3) return pick(texts).length;
      if (kind === 4) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(depth + 1));
      return randomObject(depth + 1);
    };
    const randomObject = (depth: number): Record<string, unknown> => {
      const object: Record<string, unknown> = {};
      const size = Math.floor(next() * 5);
      for (let i = 0; i < size; i += 1) object[pick(keys)] = randomValue(depth);
      return object;
    };
    const skipper = new MemberSkipper(['skip', 'also', 'outer.inner']);
    let cut = 0;
    for (let round = 0; round < 2000; round += 1) {
      const value = randomObject(0);
      const line = next() < 0.5 ? JSON.stringify(value) : JSON.stringify(value, null, next() < 0.5 ? 1 : '\t').replace(/\n/g, ' ');
      const result = cutAndParse(skipper, line);
      const expected = parsedWithout(line, ['skip', 'also', 'outer.inner']);
      // A line that holds a member to cut is cut; one that holds none is left to JSON.parse.
      if (JSON.stringify(expected) === JSON.stringify(JSON.parse(line))) {
        expect(result, line).toBeUndefined();
        continue;
      }
      cut += 1;
      expect(result, line).toEqual(expected);
    }
    expect(cut).toBeGreaterThan(800);
  });
});

describe('MemberSkipper on hand-written lines', () => {
  const skipper = new MemberSkipper(['skip', 'also', 'outer.inner']);
  const cases: [string, string][] = [
    ['the only member', '{"skip":{"a":[1,2,{"b":"}"}]}}'],
    ['the first member', '{"skip":1,"keep":2}'],
    ['the last member', '{"keep":1,"skip":"x"}'],
    ['two in a row at the end', '{"keep":1,"skip":true,"also":null}'],
    ['two in a row at the start', '{"skip":-1.5e3,"also":false,"keep":[]}'],
    ['every member', '{"skip":1,"also":2}'],
    ['between kept members, with spaces', '{ "keep" : 1 , "skip" : { "q" : "a \\" b" } , "last" : 2 }'],
    ['a string with escaped backslashes before its quote', '{"skip":"ends with \\\\","keep":"\\\\\\""}'],
    ['brackets and quotes inside strings', '{"keep":"[{","skip":["]}\\"{[",{"k":"}}"}],"k2":"]"}'],
    ['a nested member', '{"outer":{"a":1,"inner":{"big":"x"},"b":2},"keep":3}'],
    ['a nested member that is the only one', '{"outer":{"inner":[1,2]}}'],
    ['multi-byte text around the cut', '{"keep":"naïve “quotes” 😀","skip":"éé","more":"ß"}'],
  ];
  it.each(cases)('cuts %s', (_, line) => {
    expect(cutAndParse(skipper, line)).toEqual(parsedWithout(line, ['skip', 'also', 'outer.inner']));
  });

  it('leaves a member alone that only shares a name with a path, or sits elsewhere', () => {
    // `inner` at the top level, `skip` inside another object, `outer` that is not an object.
    expect(cutAndParse(skipper, '{"inner":1,"nested":{"skip":2},"outer":"text"}')).toBeUndefined();
    expect(cutAndParse(skipper, '{"keep":"a string that says \\"skip\\": 1"}')).toBeUndefined();
  });

  it.each([
    ['not an object', '["skip"]'],
    ['an unbalanced value', '{"skip":{"a":[1}}'],
    ['a string that does not end', '{"keep":1,"skip":"open'],
    ['text after the object', '{"skip":1} {"skip":2}'],
    ['a missing colon', '{"skip" 1,"keep":2}'],
    ['a key written with escapes, which could spell a skipped one', '{"\\u0073kip":1,"skip":2}'],
  ])('gives up on %s, leaving the line to JSON.parse', (_, line) => {
    expect(cutAndParse(skipper, line)).toBeUndefined();
  });

  it('cuts a line longer than its reused buffer', () => {
    const big = 'x'.repeat(9 << 20);
    const line = `{"keep":"${big}","skip":"${big}"}`;
    const result = cutAndParse(skipper, line) as { keep: string };
    expect(result.keep.length).toBe(big.length);
    expect(result).not.toHaveProperty('skip');
  });

  it('removes the members from a record parsed whole', () => {
    const record = JSON.parse('{"skip":1,"keep":2,"outer":{"inner":3,"other":4}}');
    skipper.removeFrom(record);
    expect(record).toEqual({ keep: 2, outer: { other: 4 } });
  });

  it('refuses a key it could not match on bytes', () => {
    expect(() => new MemberSkipper(['say "hi"'])).toThrow(TypeError);
    expect(() => new MemberSkipper(['back\\slash'])).toThrow(TypeError);
    expect(() => new MemberSkipper(['naïve'])).toThrow(TypeError);
    expect(() => new MemberSkipper(['a..b'])).toThrow(TypeError);
  });
});
