import path from 'node:path';
import { FormatRegistry, type NormalizedRollout, readRollouts } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { GenerationDetector, generationOfLine } from '../src/generation.js';
import { CodexFormat } from '../src/index.js';
import { CLI_VERSIONS, COMPOSED, CORPUS, CURRENT_FILE, ENVELOPE_FILE, LEGACY_FILE, readComposed, readFolder } from './helpers.js';

describe('generation detection by content', () => {
  it('tells each line kind apart', () => {
    expect(generationOfLine({ id: 't', timestamp: '2025-06-01T12:00:00Z', instructions: null })).toBe('bare');
    expect(generationOfLine({ record_type: 'state' })).toBe('bare');
    expect(generationOfLine({ type: 'message', role: 'user', content: [] })).toBe('bare');
    expect(generationOfLine({ timestamp: 'x', type: 'response_item', payload: { type: 'message' } })).toBe('envelope');
    expect(generationOfLine({ timestamp: 'x', ordinal: 3, type: 'response_item', payload: { type: 'message' } })).toBe('current');
    expect(generationOfLine({ timestamp: 'x', type: 'token_usage_record', payload: {} })).toBe('current');
    expect(generationOfLine({ timestamp: 'x', type: 'event_msg', payload: { type: 'item_completed' } })).toBe('current');
    expect(generationOfLine({ unrelated: true })).toBeUndefined();
  });

  it('upgrades an envelope file when a current-only line shows up later', () => {
    const detector = new GenerationDetector();
    detector.observe({ timestamp: 'x', type: 'session_meta', payload: { id: 't' } });
    expect(detector.generation).toBe('envelope');
    detector.observe({ timestamp: 'x', type: 'world_state', payload: {} });
    expect(detector.generation).toBe('current');
  });

  it('detects the generation of every composed and real file', async () => {
    expect((await readComposed(LEGACY_FILE)).row.source_meta.generation).toBe('bare');
    expect((await readComposed(ENVELOPE_FILE)).row.source_meta.generation).toBe('envelope');
    expect((await readComposed(CURRENT_FILE)).row.source_meta.generation).toBe('current');
    const expected: Record<(typeof CLI_VERSIONS)[number], string> = {
      '0.29.0': 'bare',
      '0.34.0': 'envelope',
      '0.77.0': 'envelope',
      '0.169.0': 'current',
    };
    for (const version of CLI_VERSIONS) {
      const { rows } = await readFolder(path.join(CORPUS, version));
      expect(new Set(rows.map((row) => row.source_meta.generation))).toEqual(new Set([expected[version]]));
    }
  });

  it('reads the one-document rollout-*.json files of the first TypeScript CLI as the bare generation', async () => {
    const registry = new FormatRegistry();
    registry.register(new CodexFormat(), { packageName: 'test' });
    const read = readRollouts({ format: 'codex', path: path.join(COMPOSED, 'json-document'), filePattern: 'rollout-*.json' }, { registry });
    const rows: NormalizedRollout[] = [];
    for await (const row of read) rows.push(row);
    expect(read.report.failures).toEqual([]);
    expect(rows).toHaveLength(1);
    const [row] = rows as [NormalizedRollout];
    expect(row.trace_id).toBe('0f0f0f0f-0000-4000-8000-000000000001');
    expect(row.source_meta.generation).toBe('bare');
    expect(row.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(row.messages[1]).toMatchObject({ reasoning_content: 'Read the README.', tool_calls: [{ id: 'call_1' }] });
    expect(row.messages[2]).toMatchObject({ tool_call_id: 'call_1', is_error: false });
    expect(row.final_assistant_message).toBe('It is a tiny app.');
  });
});
