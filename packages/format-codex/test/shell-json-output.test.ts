import { describe, expect, it } from 'vitest';
import { isObject } from '../src/records.js';
import { exitCodeOfShellJson } from '../src/shell-json-output.js';

/** What a full parse says: the exit code of a `{metadata: {exit_code}}` JSON text, else undefined. */
function exitCodeByParse(text: string): number | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!isObject(value) || !isObject(value.metadata)) return undefined;
    return typeof value.metadata.exit_code === 'number' ? value.metadata.exit_code : undefined;
  } catch {
    return undefined;
  }
}

const written = (output: string, code: string, duration = '0.34830127586610615') =>
  `{"output":${output},"metadata":{"exit_code":${code},"duration_seconds":${duration}}}`;

describe('exitCodeOfShellJson', () => {
  it('reads the exit code of the form Codex writes, as a full parse does', () => {
    const forms = [
      written(JSON.stringify('fer messages exit record'), '0'),
      written(JSON.stringify('     1\t line\n     2\t "quoted" \\ back/slash \u0001 é 😀'), '1'),
      written(JSON.stringify(''), '-1'),
      written(JSON.stringify('x'), '127', '12'),
      written(JSON.stringify('x'), '2', '1.5e-3'),
      written(JSON.stringify('x'), '-0', '0'),
      written('"\\u00e9\\/\\b\\f\\r"', '3', '4E+2'),
    ];
    for (const text of forms) {
      expect(exitCodeOfShellJson(text), text).toBe(exitCodeByParse(text));
      expect(exitCodeOfShellJson(text), text).not.toBeUndefined();
    }
  });

  it('declines every other text, so the caller parses it', () => {
    const others = [
      written('"raw\ncontrol"', '0'),
      written('"bad \\x escape"', '0'),
      written('"short \\u12"', '0'),
      written('"unterminated', '0'),
      written(JSON.stringify('x'), '01'),
      written(JSON.stringify('x'), '1.0'),
      written(JSON.stringify('x'), '+1'),
      written(JSON.stringify('x'), '1', '1.'),
      written(JSON.stringify('x'), '1', '.5'),
      `${written(JSON.stringify('x'), '0')} `,
      `${written(JSON.stringify('x'), '0')}}`,
      '{"output": "x", "metadata": {"exit_code": 0, "duration_seconds": 1}}',
      '{"metadata":{"exit_code":0,"duration_seconds":1},"output":"x"}',
      '{"output":"x","metadata":{"exit_code":0}}',
      '{"output":"x","metadata":{"exit_code":"0","duration_seconds":1}}',
      'Exit code: 0\nOutput:\nx',
    ];
    for (const text of others) expect(exitCodeOfShellJson(text), text).toBeUndefined();
  });
});
