import { AgentRolloutError } from '../errors.js';
import type { SinkDestination } from './byte-target.js';
import { createJsonlSink } from './jsonl-sink.js';
import { createOpenAIChatSink } from './openai-chat-sink.js';
import { createParquetSink } from './parquet-sink.js';
import type { RolloutSink, SinkFormat } from './sink.js';

/** Options of {@link createSink} that only some formats use. */
export interface CreateSinkOptions {
  /** OpenAI-chat only: keep assistant reasoning. */
  keepReasoning?: boolean;
}

/** A sink of the given format; Parquet needs a file path (it cannot stream). */
export function createSink(format: SinkFormat, destination: SinkDestination, options: CreateSinkOptions = {}): RolloutSink {
  switch (format) {
    case 'jsonl':
      return createJsonlSink(destination);
    case 'openai-chat':
      return createOpenAIChatSink(destination, { keepReasoning: options.keepReasoning ?? false });
    case 'parquet':
      if (!('path' in destination))
        throw new AgentRolloutError('sink', 'Parquet output needs a file path; it cannot be written to a stream');
      return createParquetSink({ path: destination.path });
  }
}
