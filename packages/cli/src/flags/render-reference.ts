import type { CommandSpec, FlagSpec } from './flag-spec.js';

/** Where the generated flag reference sits in docs/cli.md. */
export const REFERENCE_START = '<!-- flag reference: generated from the CLI definitions by `pnpm docs:cli`; do not edit by hand -->';
export const REFERENCE_END = '<!-- end of flag reference -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function defaultOf(flag: FlagSpec): string {
  if (flag.defaultDescription) return flag.defaultDescription;
  if (flag.defaultValue === undefined) return '';
  return Array.isArray(flag.defaultValue) ? flag.defaultValue.join(',') : String(flag.defaultValue);
}

function flagRow(flag: FlagSpec): string {
  const notes: string[] = [];
  if (flag.choices) notes.push(`one of ${flag.choices.map((choice) => `\`${choice}\``).join(', ')}`);
  const description = [flag.description, ...notes].join('; ');
  const fallback = defaultOf(flag);
  return `| \`${cell(flag.flags)}\` | ${cell(description)} | ${fallback ? cell(`\`${fallback}\``) : ''} |`;
}

/** The flag tables of every command, as Markdown, in the order of `commands`. */
export function renderFlagReference(commands: readonly CommandSpec[]): string {
  const sections = commands.map((command) =>
    [
      `### \`agent-rollout ${command.name}\` flags`,
      '',
      command.summary.charAt(0).toUpperCase() + command.summary.slice(1),
      '',
      '| flag | meaning | default |',
      '|---|---|---|',
      ...command.flags.map(flagRow),
    ].join('\n'),
  );
  return [REFERENCE_START, '', '## Flag reference', '', ...sections.flatMap((section) => [section, '']), REFERENCE_END].join('\n');
}

/** Replaces the generated part of a document (or appends it when missing). */
export function withFlagReference(document: string, reference: string): string {
  const start = document.indexOf(REFERENCE_START);
  const end = document.indexOf(REFERENCE_END);
  if (start === -1 || end === -1) return `${document.trimEnd()}\n\n${reference}\n`;
  return `${document.slice(0, start)}${reference}${document.slice(end + REFERENCE_END.length)}`;
}
