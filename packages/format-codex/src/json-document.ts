import { readFile } from 'node:fs/promises';
import { AgentRolloutParseError, type JsonlRecord } from '@agent-rollout/core/format';
import { isObject } from './records.js';

/**
 * Reads a rollout of the first, TypeScript CLI (spring 2025): one JSON document
 * `{session: {id, timestamp, instructions}, items: [ResponseItem, ...]}` instead of JSONL.
 * It yields the same records a bare JSONL file gives: the session object, then the items.
 * `line` is the position in that sequence (1 = the session), as the document has no lines.
 */
export async function* readJsonDocumentRecords(filePath: string): AsyncGenerator<JsonlRecord> {
  const text = await readFile(filePath, 'utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AgentRolloutParseError(
      filePath,
      undefined,
      `expected a JSON document {session, items}, found text that is not JSON (${(error as Error).message})`,
    );
  }
  if (!isObject(document) || !isObject(document.session) || !Array.isArray(document.items)) {
    throw new AgentRolloutParseError(filePath, undefined, 'expected a JSON document with a `session` object and an `items` array');
  }
  yield { line: 1, value: document.session };
  let line = 1;
  for (const item of document.items) {
    line += 1;
    if (isObject(item)) yield { line, value: item };
  }
}
