import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GenerationDetector, generationOfLine } from '../src/generation.js';
import { CLI_VERSIONS, CORPUS, CURRENT_FILE, ENVELOPE_FILE, LEGACY_FILE, readComposed, readFolder } from './helpers.js';

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
});
