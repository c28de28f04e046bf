import os from 'node:os';
import { AgentRolloutError } from '../errors.js';
import type { NormalizedRollout } from '../schema/row.js';
import { BUILTIN_RULES } from './builtin-rules.js';
import { compileRuleInput } from './compile-rule.js';
import { PathAnonymizer, PathAnonymizerSetup } from './path-anonymizer.js';
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

/** One rule as a step of the text redactor, counting into its redactor's counts. */
class RuleTransform implements TextTransform {
  constructor(
    protected readonly rule: RedactionRule,
    protected readonly counts: Record<string, number>,
  ) {}

  keywords(): readonly string[] {
    return this.rule.keywords;
  }

  apply(text: string): string {
    return applyRule(this.rule, text, this.counts);
  }
}

/** A rule with a keyword offset (and keywords): tried only near its keywords. */
class NearRuleTransform extends RuleTransform {
  applyNear(text: string, starts: Int32Array, count: number): string {
    return applyRuleNear(this.rule, text, starts, count, this.counts);
  }
}

/** What a redactor is made of for given options; built once and shared, never changed. */
interface RedactionPlan {
  rules: readonly RedactionRule[];
  paths: PathAnonymizerSetup | undefined;
}

/**
 * Plans by options. A redactor is made per file, in worker threads from a copy of the same
 * options each time, so plans are found by the options' content.
 */
const planCache = new Map<string, RedactionPlan>();
const PLAN_CACHE_LIMIT = 16;

function planFor(options: RedactionOptions): RedactionPlan {
  const enabled = options.enabled ?? true;
  const anonymizePaths = options.anonymizePaths ?? enabled;
  const homeDir = anonymizePaths ? (options.homeDir ?? os.homedir()) : undefined;
  const user = anonymizePaths && options.userNames === undefined ? currentUserName() : undefined;
  const userNames = anonymizePaths ? (options.userNames ?? (user ? [user] : [])) : undefined;
  const key = JSON.stringify([enabled, homeDir, userNames, options.disabledRules, options.extraRules], (_key, value: unknown) =>
    value instanceof RegExp ? `/${value.source}/${value.flags}` : value,
  );
  const cached = planCache.get(key);
  if (cached) return cached;

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
  const plan: RedactionPlan = {
    rules: enabled ? [...extra, ...BUILTIN_RULES].filter((rule) => !disabled.has(rule.id)) : [],
    paths: homeDir !== undefined && userNames !== undefined ? new PathAnonymizerSetup({ homeDirs: [homeDir], userNames }) : undefined,
  };
  if (planCache.size >= PLAN_CACHE_LIMIT) planCache.clear();
  planCache.set(key, plan);
  return plan;
}

/**
 * Builds a redactor. Throws an `AgentRolloutError` (code `config`) for a bad extra rule or an
 * unknown disabled id. Cheap after the first call with the same options: rules, patterns and
 * keyword tables are compiled once and shared; only the counts and learned names are the redactor's.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const counts: Record<string, number> = {};
  const plan = planFor(options);
  const transforms: TextTransform[] = plan.rules.map((rule) =>
    rule.keywordOffset !== undefined && rule.keywords.length > 0 ? new NearRuleTransform(rule, counts) : new RuleTransform(rule, counts),
  );
  let textRedactor: TextRedactor | undefined;
  let anonymizer: PathAnonymizer | undefined;
  if (plan.paths) {
    anonymizer = new PathAnonymizer(plan.paths, counts, () => textRedactor?.refreshKeywords());
    transforms.push(anonymizer);
  }
  if (transforms.length === 0) {
    return { redactRow: (row) => row, redactText: (text) => text, counts };
  }
  textRedactor = new TextRedactor(transforms);
  const rowRedactor = new RowRedactor({
    text: textRedactor,
    anonymizer,
    namedSecret: plan.rules.includes(secretAssignmentRule) ? secretAssignmentRule : undefined,
    counts,
  });
  const text = textRedactor;
  return {
    redactRow: (row) => rowRedactor.redactRow(row),
    redactText: (value) => text.redact(value),
    counts,
  };
}
