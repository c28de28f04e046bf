export * from './engine/judge.js';
export * from './engine/pipeline.js';
export * from './engine/prompt.js';
export * from './llm/backoff.js';
export * from './llm/client.js';
export * from './llm/limiter.js';
export * from './llm/openai-compatible-client.js';
export * from './llm/runner.js';
