import { SINK_FORMATS } from '@agent-rollout/core';
import type { CommandSpec } from './flag-spec.js';
import { DISTILL_COMMAND, TOOL_REVIEW_COMMAND } from './recipe-commands.js';
import { QUIET, READ_FLAGS, SOURCE_FLAGS } from './source-flags.js';

export const INGEST_COMMAND: CommandSpec = {
  name: 'ingest',
  summary: 'turn session logs into a dataset (JSONL, Parquet or OpenAI-chat JSONL)',
  description:
    'Reads the sessions of one or more formats and writes one row per session. The output appears under its final name only when the run succeeds.',
  examples: [
    'agent-rollout ingest --format claude_code --out rollouts.jsonl',
    'agent-rollout ingest --out rollouts.parquet --report report.json',
    'agent-rollout ingest --format codex --path ./sessions --output-format openai-chat --out sft.jsonl',
    'agent-rollout ingest --format claude_code --partition 0/8 --out shard-0.jsonl',
    'agent-rollout ingest --format claude_code --shuffle --seed 7 --limit 100 | head',
  ],
  flags: [
    ...SOURCE_FLAGS,
    { flags: '--out <file>', description: 'where the dataset goes; `-` is stdout', defaultValue: '-', defaultDescription: 'stdout' },
    {
      flags: '--output-format <format>',
      description: 'the dataset format',
      choices: SINK_FORMATS,
      defaultDescription: 'from the --out extension (.parquet: parquet), else jsonl',
    },
    { flags: '--keep-reasoning', description: 'openai-chat: keep assistant reasoning as `reasoning_content`' },
    { flags: '--report <file>', description: 'write the run report (every file’s fate, per format) as JSON' },
    ...READ_FLAGS,
    QUIET,
  ],
};

export const STATS_COMMAND: CommandSpec = {
  name: 'stats',
  summary: 'summarize sessions without writing a dataset',
  description:
    'Reads like `ingest` and prints sessions, subagent sessions, messages by role, tool calls by tool (top 20), tokens by model, date range and failures.',
  examples: [
    'agent-rollout stats',
    'agent-rollout stats --format codex --json',
    'agent-rollout stats --format claude_code --path ./backup/.claude/projects',
  ],
  flags: [...SOURCE_FLAGS, { flags: '--json', description: 'print the summary as JSON' }, ...READ_FLAGS, QUIET],
};

export const FORMATS_COMMAND: CommandSpec = {
  name: 'formats',
  summary: 'list the formats this installation can read',
  description:
    'Lists every format from installed format packages and --plugin packages: id, name, package and version, default path (and whether it exists here), file pattern.',
  examples: ['agent-rollout formats', 'agent-rollout formats --json', 'agent-rollout formats --plugin agent-rollout-format-foo'],
  flags: [
    { flags: '--json', description: 'print the list as JSON' },
    { flags: '--plugin <package>', description: 'also load this format package (repeatable)', repeatable: true },
  ],
};

/**
 * Every command with its flags, in the order `--help` shows them. The flag reference in
 * docs/cli.md is generated from this.
 */
export function describeCommands(): CommandSpec[] {
  return [INGEST_COMMAND, FORMATS_COMMAND, STATS_COMMAND, DISTILL_COMMAND, TOOL_REVIEW_COMMAND];
}
