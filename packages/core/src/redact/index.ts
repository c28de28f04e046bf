export { builtinRedactionRules, createRedactor, type RedactionOptions, type Redactor } from './create-redactor.js';
export { loadRedactionRules, type RedactionRulesFile, RedactionRulesFileSchema } from './load-rules.js';
export { HOME_DIRECTORY_ID, USER_NAME_ID, USER_PLACEHOLDER } from './path-anonymizer.js';
export { type RedactionRule, type RedactionRuleInput, type RuleMatchContext, replacementFor } from './rule.js';
