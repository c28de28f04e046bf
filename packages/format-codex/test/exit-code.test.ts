import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readJsonlRecords } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { isObject } from '../src/records.js';
import { exitCodeByParsing, exitCodeFromJsonOutput } from '../src/tool-calls.js';
import { FIXTURES } from './helpers.js';

/** Every string `output` of a tool output item in the fixture rollouts. */
async function fixtureOutputs(): Promise<string[]> {
  const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => path.join(FIXTURES, name));
  const outputs: string[] = [];
  for (const file of files) {
    for await (const { value } of readJsonlRecords({ path: file, warn: () => {} })) {
      const item = isObject(value.payload) ? value.payload : value;
      if (typeof item.output === 'string') outputs.push(item.output);
    }
  }
  return outputs;
}

describe('exitCodeFromJsonOutput', () => {
  it('finds what parsing the whole output finds, in every output of the fixture rollouts', async () => {
    const outputs = await fixtureOutputs();
    const withMetadata = outputs.filter((text) => exitCodeByParsing(text) !== undefined);
    // The 0.29 and 0.34 sessions of the corpus write their shell outputs this way.
    expect(withMetadata.length).toBeGreaterThan(20);
    for (const text of outputs) expect(exitCodeFromJsonOutput(text), text.slice(0, 200)).toBe(exitCodeByParsing(text));
  });

  it('reads the code from the end, with or without the duration', () => {
    expect(exitCodeFromJsonOutput('{"output":"ok\\n","metadata":{"exit_code":0,"duration_seconds":0.4}}')).toBe(0);
    expect(exitCodeFromJsonOutput('{"output":"error TS2304","metadata":{"exit_code":2}}')).toBe(2);
    expect(exitCodeFromJsonOutput('{"output":"","metadata":{"exit_code":-1,"duration_seconds":1.5e-3}}')).toBe(-1);
  });

  it('parses the other shapes whole, as before', () => {
    // Members in another order, spaces, a nested code or one that is not a number.
    expect(exitCodeFromJsonOutput('{"metadata":{"exit_code":3},"output":"x"}')).toBe(3);
    expect(exitCodeFromJsonOutput('{"output": "x", "metadata": {"exit_code": 4}}')).toBe(4);
    expect(exitCodeFromJsonOutput('{"output":{"x":1,"metadata":{"exit_code":5}}}')).toBeUndefined();
    expect(exitCodeFromJsonOutput('{"output":"x","metadata":{"exit_code":"5"}}')).toBeUndefined();
    // Two codes in one metadata object: the last one counts, as in JSON.parse.
    expect(exitCodeFromJsonOutput('{"output":"x","metadata":{"exit_code":6,"exit_code":7}}')).toBe(7);
  });

  it('does not take a code from inside the output text', () => {
    const quoted = JSON.stringify({ output: 'log: ,"metadata":{"exit_code":9}}' });
    expect(exitCodeFromJsonOutput(quoted)).toBeUndefined();
    expect(exitCodeFromJsonOutput('plain text ,"metadata":{"exit_code":9}}')).toBeUndefined();
    expect(exitCodeFromJsonOutput('{"output":"cut short, "exit_code"')).toBeUndefined();
  });
});
