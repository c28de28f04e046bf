import os from 'node:os';
import { AgentRolloutError } from '../errors.js';
import type { NormalizedRollout } from '../schema/row.js';
import { BUILTIN_RULES } from './builtin-rules.js';
import { compileRuleInput } from './compile-rule.js';
import { PathAnonymizer } from './path-anonymizer.js';
import { RowRedactor } from './row-redactor.js';
import type { RedactionRule, RedactionRuleInput } from './rule.js';
import { applyRule, applyRuleNear } from './rule-transform.js';
import { secretAssignmentRule } from './secret-assignment.js';
import { TextRedactor } from './text-redactor.js';
import type { TextTransform } from './text-transform.js';

export interface RedactionOptions {
  /** Secret redaction on (default) or off. Off also turns path anonymization off unless `anonymizePaths` is set. */
  enabled?: boolean;
  /** More rules; they run before the built-in ones, so that a specific pattern names its own matches. */
  extraRules?: RedactionRuleInput[];
  /** Ids of built-in (or extra) rules not to run. An unknown id is an error. */
  disabledRules?: string[];
  /** The home directory that becomes `~` (default: `os.homedir()`). */
  homeDir?: string;
  /** User names to replace with `<user>` in paths, besides those learned from home paths (default: the current user). */
  userNames?: string[];
  /** Home directories to `~`, user names to `<user>` (default: same as `enabled`). */
  anonymizePaths?: boolean;
}

export interface Redactor {
  /** The row with every string redacted; the input row is never changed (returned as is when clean). */
  redactRow(row: NormalizedRollout): NormalizedRollout;
  /** One text, redacted. */
  redactText(text: string): string;
  /** Replacements made so far, by rule id (`home-directory` and `user-name` for paths). Never holds a secret. */
  readonly counts: Record<string, number>;
}

/** The built-in rules, in the order they run. */
export function builtinRedactionRules(): readonly RedactionRule[] {
  return BUILTIN_RULES;
}

let processUser: { name: string | undefined } | undefined;

/** The current user's name, looked up once per thread (a redactor is made per file). */
function currentUserName(): string | undefined {
  if (!processUser) {
    try {
      processUser = { name: os.userInfo().username };
    } catch {
      // No passwd entry (some containers): nothing to add.
      processUser = { name: undefined };
    }
  }
  return processUser.name;
}

function ruleTransform(rule: RedactionRule, counts: Record<string, number>): TextTransform {
  const transform: TextTransform = { keywords: () => rule.keywords, apply: (text) => applyRule(rule, text, counts) };
  if (rule.keywordOffset !== undefined && rule.keywords.length > 0) {
    transform.applyNear = (text, starts, count) => applyRuleNear(rule, text, starts, count, counts);
  }
  return transform;
}

/** Builds a redactor. Throws an `AgentRolloutError` (code `config`) for a bad extra rule or an unknown disabled id. */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const counts: Record<string, number> = {};
  const enabled = options.enabled ?? true;
  const anonymizePaths = options.anonymizePaths ?? enabled;

  const extra = (options.extraRules ?? []).map((input, index) => compileRuleInput(input, `extraRules[${index}]`));
  const known = new Set<string>();
  for (const rule of [...BUILTIN_RULES, ...extra]) {
    if (known.has(rule.id))
      throw new AgentRolloutError('config', `redaction rule id "${rule.id}" is used twice; give each extra rule its own id`);
    known.add(rule.id);
  }
  const disabled = new Set(options.disabledRules ?? []);
  for (const id of disabled) {
    if (!known.has(id)) {
      throw new AgentRolloutError('config', `cannot disable redaction rule "${id}": no such rule (known: ${[...known].join(', ')})`);
    }
  }
  const rules = enabled ? [...extra, ...BUILTIN_RULES].filter((rule) => !disabled.has(rule.id)) : [];

  const transforms: TextTransform[] = rules.map((rule) => ruleTransform(rule, counts));
  let textRedactor: TextRedactor | undefined;
  let anonymizer: PathAnonymizer | undefined;
  if (anonymizePaths) {
    const user = currentUserName();
    anonymizer = new PathAnonymizer({
      homeDirs: [options.homeDir ?? os.homedir()],
      userNames: options.userNames ?? (user ? [user] : []),
      counts,
      onNamesChanged: () => textRedactor?.refreshKeywords(),
    });
    transforms.push(anonymizer);
  }
  if (transforms.length === 0) {
    return { redactRow: (row) => row, redactText: (text) => text, counts };
  }
  textRedactor = new TextRedactor(transforms);
  const rowRedactor = new RowRedactor({
    text: textRedactor,
    anonymizer,
    namedSecret: rules.includes(secretAssignmentRule) ? secretAssignmentRule : undefined,
    counts,
  });
  return {
    redactRow: (row) => rowRedactor.redactRow(row),
    redactText: (text) => textRedactor.redact(text),
    counts,
  };
}
