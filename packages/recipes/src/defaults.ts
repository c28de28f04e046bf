/**
 * The defaults of the recipes, in a module of their own so a command line can show them
 * without loading the AI SDK.
 */

/** NVIDIA's OpenAI-compatible endpoint, as in the seed recipe. */
export const DEFAULT_BASE_URL = 'https://integrate.api.nvidia.com/v1';
/** The environment variable the API key is read from by default. */
export const DEFAULT_API_KEY_ENV = 'NVIDIA_API_KEY';
/** A small Nemotron model served at the default endpoint. */
export const DEFAULT_MODEL = 'nvidia/nvidia-nemotron-nano-9b-v2';
/** Model calls in flight at once. */
export const DEFAULT_CONCURRENCY = 8;
/** Tokens a trace is fitted into before it is sent. */
export const DEFAULT_TRACE_BUDGET = 6000;
