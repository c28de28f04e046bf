import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LineFields, scanLineFields } from '../src/line-scan.js';
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
function scan(text: string): LineFields | undefined {
  const bytes = Buffer.from(`\n${text}\n`, 'utf8');
  const fields = scanLineFields(bytes, 1, bytes.length - 1);
  return fields && { ...fields };
}

function jsonlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('scanLineFields', () => {
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
});
