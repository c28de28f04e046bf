import { Command } from 'commander';
import { type DistillFlags, runDistillCommand } from './commands/distill.js';
import { type FormatsFlags, runFormats } from './commands/formats.js';
import { type IngestFlags, runIngest } from './commands/ingest.js';
import { runStats, type StatsFlags } from './commands/stats.js';
import { runToolReviewCommand, type ToolReviewFlags } from './commands/tool-review.js';
import type { CliContext } from './context.js';
import { describeCommands, FORMATS_COMMAND, INGEST_COMMAND, STATS_COMMAND } from './flags/commands.js';
import { type CommandSpec, toOption } from './flags/flag-spec.js';
import { DISTILL_COMMAND, TOOL_REVIEW_COMMAND } from './flags/recipe-commands.js';

/** Commander's settings shared by every command: errors through the context, no exits. */
function configure(command: Command, context: CliContext): Command {
  return command
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage and examples)');
}

function examplesText(spec: CommandSpec): string {
  return `\nExamples:\n${spec.examples.map((example) => `  $ ${example}`).join('\n')}\n`;
}

/**
 * A subcommand built from its spec. The action's exit code lands in `setExitCode`; other
 * modules add commands the same way.
 */
export function addCommand<Flags>(
  program: Command,
  spec: CommandSpec,
  context: CliContext,
  action: (flags: Flags, context: CliContext) => Promise<number>,
  setExitCode: (code: number) => void,
): Command {
  const command = configure(program.command(spec.name), context)
    .summary(spec.summary)
    .description(spec.description)
    .allowExcessArguments(false)
    .addHelpText('after', examplesText(spec));
  for (const flag of spec.flags) command.addOption(toOption(flag));
  command.action(async (flags: Flags) => {
    setExitCode(await action(flags, context));
  });
  return command;
}

/** The whole `agent-rollout` program. */
export function buildProgram(context: CliContext, setExitCode: (code: number) => void): Command {
  const program = configure(new Command('agent-rollout'), context)
    .description('Turn AI coding agent session logs (Claude Code, Codex, plugins) into normalized datasets.')
    .version(context.version, '-V, --version')
    .addHelpText(
      'after',
      `\nExamples:\n${describeCommands()
        .map((spec) => `  $ ${spec.examples[0]}`)
        .join('\n')}\n`,
    );
  addCommand<IngestFlags>(program, INGEST_COMMAND, context, runIngest, setExitCode);
  addCommand<FormatsFlags>(program, FORMATS_COMMAND, context, runFormats, setExitCode);
  addCommand<StatsFlags>(program, STATS_COMMAND, context, runStats, setExitCode);
  addCommand<DistillFlags>(program, DISTILL_COMMAND, context, runDistillCommand, setExitCode);
  addCommand<ToolReviewFlags>(program, TOOL_REVIEW_COMMAND, context, runToolReviewCommand, setExitCode);
  return program;
}
