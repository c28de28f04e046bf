import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import initWabt from 'wabt';
import type { LineFields } from '../src/line-fields.js';
import { scanLineFields } from '../src/line-scan.js';
import { scanLineFieldsInJs } from '../src/line-scan-js.js';
import { type LineScanner, WASM_SCAN_MAX_BYTES, wasmLineScanner } from '../src/line-scan-wasm.js';
import { LINE_SCAN_WASM } from '../src/line-scan-wasm-module.js';
import { FIXTURES } from './helpers.js';

/** What the scan must find, computed from the parsed line. */
function expectedFields(record: Record<string, unknown>, text: string): Omit<LineFields, 'messageNamesSubagentTool'> {
  const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const message =
    typeof record.message === 'object' && record.message !== null && !Array.isArray(record.message) ? record.message : undefined;
  const result = record.toolUseResult;
  return {
    type: str(record.type),
    uuid: str(record.uuid),
    timestamp: str(record.timestamp),
    sessionId: str(record.sessionId),
    agentId: str(record.agentId),
    parentUuid: str(record.parentUuid),
    requestId: str(record.requestId),
    isSidechain: record.isSidechain === true,
    hasMessage: message !== undefined,
    messageId: message ? str((message as Record<string, unknown>).id) : undefined,
    toolResultNamesAgent: typeof result === 'object' && result !== null && !Array.isArray(result) && 'agentId' in result && text.length > 0,
  };
}

/** Scans `text` the way the context reads it: as UTF-8 bytes, a range of a longer buffer. */
function scanWith(scanner: LineScanner, text: string): LineFields | undefined {
  const bytes = Buffer.from(`\n${text}\n`, 'utf8');
  const fields = scanner(bytes, 1, bytes.length - 1);
  return fields && { ...fields };
}

const inWasm = wasmLineScanner();

function jsonlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe.each([
  ['in JS', scanLineFieldsInJs],
  ['in WebAssembly', (bytes: Buffer, start: number, end: number) => inWasm?.(bytes, start, end)],
] as const)('the context scan %s', (_name, scanner) => {
  const scan = (text: string) => scanWith(scanner, text);

  it('reads what JSON.parse reads on every line of the fixtures, or defers to it', () => {
    let scanned = 0;
    let deferred = 0;
    for (const file of jsonlFiles(FIXTURES)) {
      for (const text of readFileSync(file, 'utf8').split('\n')) {
        let record: unknown;
        try {
          record = JSON.parse(text);
        } catch {
          expect(scan(text), `${file}: a line that is not JSON`).toBeUndefined();
          continue;
        }
        const fields = scan(text);
        if (fields === undefined) deferred += 1;
        if (fields === undefined || typeof record !== 'object' || record === null || Array.isArray(record)) continue;
        const { messageNamesSubagentTool, ...rest } = fields;
        expect(rest, `${file}: ${text.slice(0, 120)}`).toEqual(expectedFields(record as Record<string, unknown>, text));
        if (JSON.stringify((record as Record<string, unknown>).message ?? null).match(/"name":"(Task|Agent)"/)) {
          expect(messageNamesSubagentTool).toBe(true);
        }
        scanned += 1;
      }
    }
    // Real lines are read by the scan; only odd ones are left to JSON.parse.
    expect(scanned).toBeGreaterThan(500);
    expect(deferred).toBeLessThan(scanned / 100);
  });

  it('reads top-level keys only, the last copy of a repeated key, and message.id', () => {
    const fields = scan(
      '{"type":"user","message":{"role":"user","content":[{"type":"tool_result","content":{"uuid":"nested","id":"x"}}],"id":"msg_1"},' +
        '"uuid":"first","toolUseResult":{"agentId":"a1","uuid":"nested2"},"uuid":"u-2","isSidechain":true,"parentUuid":null}',
    );
    expect(fields).toMatchObject({ type: 'user', uuid: 'u-2', messageId: 'msg_1', toolResultNamesAgent: true, isSidechain: true });
    expect(fields?.parentUuid).toBeUndefined();
  });

  it('decodes escapes in values and flags subagent calls', () => {
    const fields = scan('{"type":"assistant","uuid":"a\\u0062c","message":{"id":"m","content":[{"type":"tool_use","name":"Task"}]}}');
    expect(fields).toMatchObject({ uuid: 'abc', messageNamesSubagentTool: true });
    expect(scan('{"message":{"content":"say \\"Task\\" twice"}}')?.messageNamesSubagentTool).toBe(false);
  });

  it('defers lines it cannot read exactly to JSON.parse', () => {
    // An escaped key could spell a wanted one; a wanted value that is not a string or not ASCII.
    expect(scan('{"uu\\u0069d":"x"}')).toBeUndefined();
    expect(scan('{"uuid":42}')).toBeUndefined();
    expect(scan('{"type":"user","uuid":"é"}')).toBeUndefined();
    // Not an object, cut short, unbalanced, or followed by more text.
    expect(scan('["uuid"]')).toBeUndefined();
    expect(scan('{"type":"user","message":{"content":"cut')).toBeUndefined();
    expect(scan('{"a":[1}')).toBeUndefined();
    expect(scan('{"a":1}{"b":2}')).toBeUndefined();
    expect(scan('')).toBeUndefined();
  });

  it('finds where each string ends, wherever its quotes and backslashes fall in a block of 16 bytes', () => {
    for (let pad = 0; pad < 40; pad += 1) {
      for (const tail of ['\\"', '\\\\', '\\\\\\"', 'x\\n']) {
        const text = `{"uuid":"u${'a'.repeat(pad % 7)}","message":{"id":"m","content":"${'b'.repeat(pad)}${tail}"},"type":"t${'\\\\'.repeat(pad % 3)}"}`;
        const record = JSON.parse(text) as Record<string, unknown>;
        const { messageNamesSubagentTool, ...rest } = scan(text) ?? {};
        expect(rest, text).toEqual(expectedFields(record, text));
      }
    }
  });
});

describe('the WebAssembly context scan', () => {
  it('loads on the Node versions the package supports', () => {
    expect(inWasm).not.toBeNull();
  });

  it('grows its memory for a long line, and reads the lines after it as before', () => {
    const long = `{"type":"user","message":{"content":"${'x'.repeat(300_000)}"},"uuid":"after-the-text"}`;
    expect(scanWith(inWasm as LineScanner, long)).toMatchObject({ type: 'user', uuid: 'after-the-text', hasMessage: true });
    expect(scanWith(inWasm as LineScanner, '{"uuid":"short"}')).toMatchObject({ uuid: 'short', type: undefined, hasMessage: false });
  });

  it('leaves a line longer than its limit to the JS scan', () => {
    const text = `{"uuid":"u-long","message":{"content":"${'y'.repeat(WASM_SCAN_MAX_BYTES)}"}}`;
    expect(() => scanWith(inWasm as LineScanner, text)).toThrow(RangeError);
    expect(scanWith(scanLineFields, text)).toMatchObject({ uuid: 'u-long', hasMessage: true });
  });

  it('is the compiled line-scan.wat (run pnpm build:wasm after changing it)', async () => {
    const wabt = await initWabt();
    const wat = readFileSync(new URL('../src/line-scan.wat', import.meta.url), 'utf8');
    const parsed = wabt.parseWat('line-scan.wat', wat, { simd: true });
    try {
      parsed.validate();
      expect(Buffer.from(parsed.toBinary({}).buffer).toString('base64')).toBe(LINE_SCAN_WASM);
    } finally {
      parsed.destroy();
    }
  });
});

describe('scanLineFields without WebAssembly', () => {
  it('scans in JS', async () => {
    vi.resetModules();
    const noWasm = vi.fn(() => null);
    vi.doMock('../src/line-scan-wasm.js', () => ({ wasmLineScanner: noWasm, WASM_SCAN_MAX_BYTES }));
    try {
      const { scanLineFields: scanWithoutWasm } = await import('../src/line-scan.js');
      expect(scanWith(scanWithoutWasm, '{"type":"user","uuid":"u-1","message":{"id":"m-1"}}')).toMatchObject({
        type: 'user',
        uuid: 'u-1',
        messageId: 'm-1',
      });
      expect(noWasm).toHaveBeenCalled();
    } finally {
      vi.doUnmock('../src/line-scan-wasm.js');
    }
  });
});
