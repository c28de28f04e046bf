import { z } from 'zod';

/**
 * A text block. Message content is always a list of blocks, never a bare string.
 */
export const TextBlockSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
});

/**
 * An image, in the OpenAI chat shape. Base64 data stays a `data:` URL; images are never
 * stringified into text.
 */
export const ImageBlockSchema = z
  .object({
    type: z.literal('image_url'),
    image_url: z.object({ url: z.string() }).catchall(z.unknown()),
  })
  .catchall(z.unknown());

/**
 * Any other block a source wrote (documents, server tool results, future types). Kept as it
 * is and counted in `source_meta`, never dropped.
 */
export const OtherBlockSchema = z.object({ type: z.string().refine((t) => t !== 'text' && t !== 'image_url') }).catchall(z.unknown());

/** One block of message content: text, an image, or any other block kept as it is. */
export const ContentBlockSchema = z.union([TextBlockSchema, ImageBlockSchema, OtherBlockSchema]);

/** A tool call of an assistant message, in the OpenAI chat shape. */
export const ToolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    /** The call's arguments as JSON text of an object. */
    arguments: z.string(),
  }),
});

/** Who speaks: `system`, `user`, `assistant`, or `tool` (a tool's result). */
export const ChatRoleSchema = z.enum(['system', 'user', 'assistant', 'tool']);

/**
 * One message of a row, in the OpenAI chat shape. Optional fields are left out when empty
 * (see {@link compactMessage}).
 */
export const ChatMessageSchema = z.object({
  role: ChatRoleSchema,
  content: z.array(ContentBlockSchema),
  /** Assistant thinking or reasoning summaries. */
  reasoning_content: z.string().optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
  /** On role `tool`: the id of the tool call this message answers. */
  tool_call_id: z.string().optional(),
  /** On role `tool`: true when the tool reported a failure. */
  is_error: z.boolean().optional(),
  /**
   * Facts about this one message that are not chat content: its source record kind, a
   * compaction marker, the phase of a Codex answer, the model that wrote it, ... Keys are
   * format-specific and documented by each format package.
   */
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** A JSON value; `source_meta` holds only JSON so every sink can write it unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const IsoTimestamp = z.string().nullable();

/**
 * The columns a format handler produces. The derived columns of {@link NormalizedRolloutSchema}
 * are computed by core from `messages`, in one place ({@link finalizeRollout}).
 */
export const RolloutDraftSchema = z.object({
  /** Unique per row. Claude Code: `sessionId`, or `sessionId:agentId` for a subagent. */
  trace_id: z.string().min(1),
  /** The format id that produced the row: `claude_code`, `codex`, ... */
  source_kind: z.string().min(1),
  /** The file the row came from. */
  source_path: z.string().min(1),
  /** The top-level session this row belongs to. */
  root_session_id: z.string().min(1),
  /** Subagent id, else null. */
  agent_id: z.string().nullable(),
  /** True for a subagent or side conversation. */
  is_sidechain: z.boolean(),
  cwd: z.string().nullable(),
  project_path: z.string().nullable(),
  git_branch: z.string().nullable(),
  /** ISO 8601, the chronologically earliest timestamp of the session. */
  started_at: IsoTimestamp,
  /** ISO 8601, the chronologically latest timestamp of the session. */
  ended_at: IsoTimestamp,
  messages: z.array(ChatMessageSchema),
  /** Format-specific facts (versions, models, summary, record type counts, ...). JSON only. */
  source_meta: z.record(z.string(), z.unknown()),
});

/** One row of the dataset: one agent session (or subagent transcript). */
export const NormalizedRolloutSchema = RolloutDraftSchema.extend({
  /** `messages.length`. */
  message_count: z.number().int().nonnegative(),
  /** The number of tool calls over all assistant messages. */
  tool_call_count: z.number().int().nonnegative(),
  /** The text of the last assistant message that has text, else null. */
  final_assistant_message: z.string().nullable(),
});

/** A text block; see {@link TextBlockSchema}. */
export type TextBlock = z.infer<typeof TextBlockSchema>;
/** An image block; see {@link ImageBlockSchema}. */
export type ImageBlock = z.infer<typeof ImageBlockSchema>;
/** A block of message content; see {@link ContentBlockSchema}. */
export type ContentBlock = z.infer<typeof ContentBlockSchema>;
/** A tool call; see {@link ToolCallSchema}. */
export type ToolCall = z.infer<typeof ToolCallSchema>;
/** A message role; see {@link ChatRoleSchema}. */
export type ChatRole = z.infer<typeof ChatRoleSchema>;
/** A message of a row; see {@link ChatMessageSchema}. */
export type ChatMessage = z.infer<typeof ChatMessageSchema>;
/** What a format handler returns per session: a row without its derived columns; see {@link RolloutDraftSchema}. */
export type RolloutDraft = z.infer<typeof RolloutDraftSchema>;
/** One row of the dataset; see {@link NormalizedRolloutSchema}. */
export type NormalizedRollout = z.infer<typeof NormalizedRolloutSchema>;
