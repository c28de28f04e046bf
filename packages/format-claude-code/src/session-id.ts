import { isUuid } from './paths.js';

/**
 * The session id of a main transcript: its file stem when that is a UUID (as the CLI names
 * them), else the `sessionId` its records carry, else the stem.
 */
export function mainSessionId(stem: string, recordSessionId: string | undefined): string {
  if (isUuid(stem)) return stem;
  return recordSessionId ?? stem;
}

/** The agent id given to an in-file sidechain of CLI 1.x/2.0 that has no `agentId` of its own. */
export function inFileSidechainAgentId(rootUuid: string, recordAgentId: string | undefined): string {
  return recordAgentId ?? `sidechain-${rootUuid}`;
}

/** A subagent's first prompt exactly "Warmup": the cache warm-up agent of CLI 2.0.20 .. 2.1.5. */
export function isWarmupPrompt(prompt: string | undefined): boolean {
  return prompt?.trim() === 'Warmup';
}
