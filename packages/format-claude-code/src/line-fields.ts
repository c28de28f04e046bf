/** The top-level fields of one line that the context index uses. */
export interface LineFields {
  type: string | undefined;
  uuid: string | undefined;
  /** `timestamp` when it is a string (a number or another kind makes the scan give up). */
  timestamp: string | undefined;
  sessionId: string | undefined;
  agentId: string | undefined;
  parentUuid: string | undefined;
  requestId: string | undefined;
  isSidechain: boolean;
  /** True when `message` is an object. */
  hasMessage: boolean;
  /** `message.id` when it is a string. */
  messageId: string | undefined;
  /** True when `message` holds the JSON string `"Task"` or `"Agent"` (a call that may start a subagent). */
  messageNamesSubagentTool: boolean;
  /** True when `toolUseResult` is an object that has an `agentId` key. */
  toolResultNamesAgent: boolean;
}

/** A result with no field found, for a scan to start from. */
export function emptyFields(): LineFields {
  return {
    type: undefined,
    uuid: undefined,
    timestamp: undefined,
    sessionId: undefined,
    agentId: undefined,
    parentUuid: undefined,
    requestId: undefined,
    isSidechain: false,
    hasMessage: false,
    messageId: undefined,
    messageNamesSubagentTool: false,
    toolResultNamesAgent: false,
  };
}

/** Node's Buffer has `latin1Slice(start, end)`, what `toString('latin1', ...)` ends in; its types do not list it. */
type Latin1Sliceable = Buffer & { latin1Slice(start: number, end: number): string };

/**
 * The value of the ASCII JSON string `bytes[start, end)` (its quotes included), as a string of
 * its own that shares no memory with the read buffer. `escaped`: whether it holds a backslash.
 */
export function asciiStringValue(bytes: Buffer, start: number, end: number, escaped: boolean): string {
  const line = bytes as Latin1Sliceable;
  // Escapes are rare in ids and dates; JSON decodes them exactly.
  return escaped ? (JSON.parse(line.latin1Slice(start, end)) as string) : line.latin1Slice(start + 1, end - 1);
}
