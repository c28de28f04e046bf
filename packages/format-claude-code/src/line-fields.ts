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
