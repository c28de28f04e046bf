import { AgentRolloutError } from '../errors.js';
import { shannonEntropy } from './entropy.js';
import type { RedactionRule, RedactionRuleInput } from './rule.js';

/** Rule ids: lower-case words joined by dashes, as in `[REDACTED:my-token]`. */
export const RULE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Turns a user's rule into a runnable one. `where` names the rule in error messages
 * (`extraRules[2]`, `rules.json: rules[2]`).
 */
export function compileRuleInput(input: RedactionRuleInput, where: string): RedactionRule {
  if (!RULE_ID_PATTERN.test(input.id)) {
    throw new AgentRolloutError('config', `${where}: rule id "${input.id}" must be lower-case letters and digits joined by dashes`);
  }
  const source = typeof input.pattern === 'string' ? input.pattern : input.pattern.source;
  const given = input.flags ?? (typeof input.pattern === 'string' ? '' : input.pattern.flags);
  const flags = [...new Set(`${given}gd`)].filter((flag) => flag !== 'y').join('');
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, flags);
  } catch (error) {
    throw new AgentRolloutError('config', `${where} (rule "${input.id}"): invalid regular expression: ${(error as Error).message}`);
  }
  if (new RegExp(source, flags.replace(/[gd]/g, '')).test('')) {
    throw new AgentRolloutError(
      'config',
      `${where} (rule "${input.id}"): the pattern matches the empty string; it must match the secret itself`,
    );
  }
  const groups = new RegExp(`${source}|`, flags.replace(/[gd]/g, '')).exec('')?.length ?? 1;
  if (input.secretGroup !== undefined && (input.secretGroup < 0 || input.secretGroup >= groups)) {
    throw new AgentRolloutError(
      'config',
      `${where} (rule "${input.id}"): secretGroup ${input.secretGroup} does not exist; the pattern has ${groups - 1} group(s)`,
    );
  }
  const minEntropy = input.minEntropy;
  return {
    id: input.id,
    description: input.description ?? `user rule ${input.id}`,
    keywords: (input.keywords ?? []).map((keyword) => keyword.toLowerCase()),
    pattern,
    ...(input.secretGroup !== undefined ? { secretGroup: input.secretGroup } : {}),
    ...(minEntropy !== undefined ? { validate: (secret: string) => shannonEntropy(secret) >= minEntropy } : {}),
  };
}
