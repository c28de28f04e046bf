import { growWasmMemory, instantiateWasm, type WasmMemory } from '@agent-rollout/core/format';
import { asciiStringValue, emptyFields, type LineFields } from './line-fields.js';
import { LINE_SCAN_WASM } from './line-scan-wasm-module.js';

/**
 * The context scan of line-scan-js.ts run by a WebAssembly module (line-scan.wat): the same
 * fields from the same lines, and undefined for the same lines. The module jumps over strings
 * sixteen bytes at a time and stops only at quotes: on the 1 GB benchmark's Claude Code lines
 * the scan took about 0.35 s against 0.6 s in JS. The line is copied into the module's
 * memory; the module reports where each wanted value lies, and only those values become
 * strings, sliced from the caller's buffer.
 */

/** Reads the context fields of the line `bytes[lineStart, lineEnd)` (see line-scan.ts). */
export type LineScanner = (bytes: Buffer, lineStart: number, lineEnd: number) => LineFields | undefined;

/** Where the line sits in the module's memory (the results and the bracket stack come first). */
const INPUT_AT = 1024;
/** Room past the line the module may load from (a SIMD block of 16 bytes started inside it). */
const LOAD_PAST_END = 16;
/** Longer lines go to the JS scan, so the module's memory, kept for the life of the thread, stays small. */
export const WASM_SCAN_MAX_BYTES = 8 * 1024 * 1024;

/** The results, as i32 from the start of the memory: eight (start, end) slots, then two words of bits. */
const TYPE = 0;
const UUID = 1;
const TIMESTAMP = 2;
const SESSION_ID = 3;
const AGENT_ID = 4;
const PARENT_UUID = 5;
const REQUEST_ID = 6;
const MESSAGE_ID = 7;
const ESCAPES = 16;
const FLAGS = 17;
const IS_SIDECHAIN_TRUE = 1;
const HAS_MESSAGE = 2;
const NAMES_SUBAGENT_TOOL = 4;
const RESULT_NAMES_AGENT = 8;

interface ScanExports {
  memory: WasmMemory;
  scan(start: number, end: number): number;
}

let scanner: LineScanner | null | undefined;

/** The scanner of this thread, compiled on first use; null where WebAssembly SIMD cannot run. */
export function wasmLineScanner(): LineScanner | null {
  if (scanner === undefined) scanner = instantiate();
  return scanner;
}

function instantiate(): LineScanner | null {
  const exports = instantiateWasm(LINE_SCAN_WASM) as ScanExports | null;
  if (exports === null) return null;
  const { memory } = exports;
  let bytesView = Buffer.from(memory.buffer);
  let results = new Int32Array(memory.buffer, 0, FLAGS + 1);
  /** The result object, reused from line to line: a caller reads it before the next scan. */
  const fields = emptyFields();

  function makeRoom(length: number): void {
    if (!growWasmMemory(memory, INPUT_AT + length + LOAD_PAST_END)) return;
    bytesView = Buffer.from(memory.buffer);
    results = new Int32Array(memory.buffer, 0, FLAGS + 1);
  }

  /** The string value of slot `slot`, sliced from the caller's line (the module read it as ASCII). */
  function slotValue(slot: number, line: Buffer, offset: number): string | undefined {
    const start = results[2 * slot] as number;
    if (start === -1) return undefined;
    const end = (results[2 * slot + 1] as number) + offset;
    return asciiStringValue(line, start + offset, end, ((results[ESCAPES] as number) & (1 << slot)) !== 0);
  }

  return (bytes, lineStart, lineEnd) => {
    const length = lineEnd - lineStart;
    if (length > WASM_SCAN_MAX_BYTES) throw new RangeError(`cannot scan a line of ${length} bytes, at most ${WASM_SCAN_MAX_BYTES}`);
    makeRoom(length);
    bytes.copy(bytesView, INPUT_AT, lineStart, lineEnd);
    if (exports.scan(INPUT_AT, INPUT_AT + length) === 0) return undefined;
    const offset = lineStart - INPUT_AT;
    fields.type = slotValue(TYPE, bytes, offset);
    fields.uuid = slotValue(UUID, bytes, offset);
    fields.timestamp = slotValue(TIMESTAMP, bytes, offset);
    fields.sessionId = slotValue(SESSION_ID, bytes, offset);
    fields.agentId = slotValue(AGENT_ID, bytes, offset);
    fields.parentUuid = slotValue(PARENT_UUID, bytes, offset);
    fields.requestId = slotValue(REQUEST_ID, bytes, offset);
    fields.messageId = slotValue(MESSAGE_ID, bytes, offset);
    const flags = results[FLAGS] as number;
    fields.isSidechain = (flags & IS_SIDECHAIN_TRUE) !== 0;
    fields.hasMessage = (flags & HAS_MESSAGE) !== 0;
    fields.messageNamesSubagentTool = (flags & NAMES_SUBAGENT_TOOL) !== 0;
    fields.toolResultNamesAgent = (flags & RESULT_NAMES_AGENT) !== 0;
    return fields;
  };
}
