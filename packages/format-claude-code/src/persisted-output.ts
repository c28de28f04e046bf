import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChatMessage } from '@agent-rollout/core/format';
import { isObject } from './records.js';

/**
 * Replaces `<persisted-output>` previews by the full stored text, for callers that asked for
 * it. The stored file is looked up where the transcript says, then beside the session
 * (`<sessionId>/tool-results/<name>`), since transcripts move between machines. A file that
 * cannot be found is reported and the preview stays.
 */
export async function inlinePersistedOutputs(messages: ChatMessage[], sessionDir: string, warn: (message: string) => void): Promise<void> {
  for (const message of messages) {
    const persisted = message.metadata?.persisted_output;
    if (message.role !== 'tool' || !isObject(persisted) || typeof persisted.path !== 'string') continue;
    const candidates = [persisted.path, path.join(sessionDir, 'tool-results', path.basename(persisted.path))];
    let text: string | undefined;
    for (const candidate of candidates) {
      try {
        text = await readFile(candidate, 'utf8');
        break;
      } catch {
        // Try the next place; a miss is reported below.
      }
    }
    if (text === undefined) {
      warn(`the full output of tool call ${message.tool_call_id} (${persisted.path}) was not found; the preview was kept`);
      continue;
    }
    message.content = [{ type: 'text', text }];
    message.metadata = { ...message.metadata, persisted_output: { path: persisted.path, inlined: true } };
  }
}
