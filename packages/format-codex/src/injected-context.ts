import { arrayField, isObject, type JsonObject, objectField, stringField } from './records.js';

/**
 * What Codex injects as `user` messages that the human did not write: the environment
 * block, AGENTS.md / user instructions, skill lists and bodies, aborted-turn markers.
 */
export type InjectedKind = 'environment_context' | 'user_instructions' | 'skills' | 'turn_aborted' | 'other_context';

/** Wrapper tags (or headings) that open an injected block, for files without provenance. */
const OPENERS: readonly [string, InjectedKind][] = [
  ['<environment_context>', 'environment_context'],
  ['<user_instructions>', 'user_instructions'],
  ['# AGENTS.md instructions for', 'user_instructions'],
  ['<INSTRUCTIONS>', 'user_instructions'],
  ['<skills_instructions>', 'skills'],
  ['<skill>', 'skills'],
  ['<turn_aborted>', 'turn_aborted'],
];

/** Recognizes an injected block by its opening tag. */
export function injectedKindOfText(text: string): InjectedKind | undefined {
  const start = text.trimStart();
  for (const [opener, kind] of OPENERS) if (start.startsWith(opener)) return kind;
  return undefined;
}

function kindOfProvenance(types: readonly string[], itemKinds: readonly string[]): InjectedKind {
  const described = [...types, ...itemKinds].join(' ');
  if (/environment/.test(described)) return 'environment_context';
  if (/skill/.test(described)) return 'skills';
  if (/agents_md|instructions/.test(described)) return 'user_instructions';
  if (/abort/.test(described)) return 'turn_aborted';
  return 'other_context';
}

/**
 * Decides whether a `user` message is injected context. Current files mark provenance per
 * content item (`internal_chat_message_metadata_passthrough.content_item_metadata[].provenance.type`):
 * a message is the human's when any item's provenance is `user`. Without provenance the
 * first text block's wrapper tag decides.
 */
export function classifyUserMessage(item: JsonObject, firstText: string): InjectedKind | undefined {
  const passthrough = objectField(item.internal_chat_message_metadata_passthrough);
  const provenanceTypes: string[] = [];
  for (const entry of arrayField(passthrough?.content_item_metadata)) {
    const type = isObject(entry) ? stringField(objectField(entry.provenance)?.type) : undefined;
    if (type !== undefined) provenanceTypes.push(type);
  }
  if (provenanceTypes.length > 0) {
    if (provenanceTypes.includes('user')) return undefined;
    const itemKinds = arrayField(passthrough?.content_item_kinds).filter((kind): kind is string => typeof kind === 'string');
    return injectedKindOfText(firstText) ?? kindOfProvenance(provenanceTypes, itemKinds);
  }
  return injectedKindOfText(firstText);
}

/** Reads `<cwd>...</cwd>` from an environment block (the only cwd a 0.29 file records). */
export function cwdFromEnvironmentContext(text: string): string | undefined {
  const match = /<cwd>([^<]+)<\/cwd>/.exec(text);
  return match?.[1]?.trim() || undefined;
}
