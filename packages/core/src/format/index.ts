/**
 * What a format package needs at run time, without the row schemas and config validation
 * (zod) of the main entry. A parse worker imports each format package it runs, and with it
 * whatever that package imports from core: through this entry a worker loads core in 41-43 ms
 * instead of 119-127 ms (zod alone is about 70 ms). Types come along as types; the main
 * entry exports all of this too.
 */
export * from '../errors.js';
export * from '../handler/format-handler.js';
export * from '../io/json-bytes.js';
export * from '../io/jsonl-reader.js';
export * from '../io/line-chunks.js';
export * from '../registry/format-registry.js';
export type {
  ChatMessage,
  ChatRole,
  ContentBlock,
  ImageBlock,
  JsonValue,
  NormalizedRollout,
  RolloutDraft,
  TextBlock,
  ToolCall,
} from '../schema/row.js';
export * from '../util/timestamps.js';
export * from '../util/wasm.js';
