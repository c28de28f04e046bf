/** What a step sends: a system message and a user message. */
export interface Prompt {
  system: string;
  user: string;
}

/** A prompt as a typed function of the row, so a template cannot name a column the row lacks. */
export type PromptTemplate<Row> = (row: Row) => Prompt;
