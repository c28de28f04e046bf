import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AgentRolloutError } from '../errors.js';
import { BUILTIN_RULES } from './builtin-rules.js';
import { compileRuleInput, RULE_ID_PATTERN } from './compile-rule.js';
import type { RedactionOptions } from './create-redactor.js';
import { HOME_DIRECTORY_ID, USER_NAME_ID } from './path-anonymizer.js';
import type { RedactionRuleInput } from './rule.js';

const RuleInputSchema = z
  .object({
    id: z.string().regex(RULE_ID_PATTERN, 'must be lower-case letters and digits joined by dashes, like "my-token"'),
    pattern: z.string().min(1, 'must be a non-empty regular expression'),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'may only hold the flags i, m, s, u')
      .optional(),
    description: z.string().optional(),
    keywords: z.array(z.string().min(1)).optional(),
    secretGroup: z.number().int().nonnegative().optional(),
    minEntropy: z.number().nonnegative().optional(),
  })
  .strict();

/** The `--redact-rules` file: extra rules and the ids of rules to turn off. */
export const RedactionRulesFileSchema = z
  .object({
    rules: z.array(RuleInputSchema).optional(),
    disable: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type RedactionRulesFile = z.infer<typeof RedactionRulesFileSchema>;

function describeIssue(issue: z.core.$ZodIssue): string {
  const where =
    issue.path.length > 0
      ? issue.path
          .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
          .join('')
          .replace(/^\./, '')
      : '(top level)';
  return `${where}: ${issue.message}`;
}

/**
 * Reads a `--redact-rules` JSON file:
 * `{ "rules": [{ "id": "acme-key", "pattern": "acme_[a-z0-9]{32}", "keywords": ["acme_"] }], "disable": ["jwt"] }`.
 * Throws an `AgentRolloutError` (code `config`) naming the file and the bad entry.
 */
export async function loadRedactionRules(file: string): Promise<Pick<RedactionOptions, 'extraRules' | 'disabledRules'>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AgentRolloutError('config', `${file}: cannot read the redaction rules file: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AgentRolloutError('config', `${file}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = RedactionRulesFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(describeIssue).join('; ');
    throw new AgentRolloutError(
      'config',
      `${file}: not a valid redaction rules file (expected {"rules": [{"id", "pattern", ...}], "disable": ["rule-id"]}): ${problems}`,
    );
  }
  const rules: RedactionRuleInput[] = parsed.data.rules ?? [];
  const known = new Set<string>(BUILTIN_RULES.map((rule) => rule.id));
  rules.forEach((rule, index) => {
    // Compiling here reports a bad pattern with the file and entry, not later at run time.
    compileRuleInput(rule, `${file}: rules[${index}]`);
    if (known.has(rule.id)) throw new AgentRolloutError('config', `${file}: rules[${index}]: rule id "${rule.id}" is already taken`);
    known.add(rule.id);
  });
  const disabled = parsed.data.disable ?? [];
  disabled.forEach((id, index) => {
    if (!known.has(id)) {
      const hint = id === HOME_DIRECTORY_ID || id === USER_NAME_ID ? ' (path anonymization is turned off with anonymizePaths: false)' : '';
      throw new AgentRolloutError(
        'config',
        `${file}: disable[${index}]: no redaction rule "${id}"${hint}; known rules: ${[...known].join(', ')}`,
      );
    }
  });
  return { extraRules: rules, disabledRules: disabled };
}
