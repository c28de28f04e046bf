import { characterClasses, shannonEntropy } from './entropy.js';
import type { RedactionRule, RuleMatchContext } from './rule.js';
import { isDottedIdentifier, isPathOrUrl, isPlaceholderOrReference } from './value-filters.js';

// A name that says "secret" (`API_KEY`, `githubToken`, `db_password`), an assignment
// operator, then the value: double-quoted (group 3), single-quoted (group 4) or bare (group 5).
// Group 1: the keyword, group 2: the rest of the name. Every repetition is bounded.
const PATTERN =
  /(api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key|client[_-]?secret|passphrase|password|passwd|pwd|secret|token|credentials?|auth|key)([A-Za-z0-9_.-]{0,30})(?:\\?["'])?\s{0,4}(?::=|=>|=|:)\s{0,4}(?:\\?"([^"\\\n]{6,256})\\?"|\\?'([^'\\\n]{6,256})\\?'|`?([^\s"'`,;(){}[\]<>&\\|]{6,256}))/dgi;

const PASSWORD_KEYWORDS = new Set(['password', 'passwd', 'pwd', 'passphrase']);

/** Name endings that describe something about a secret, not the secret itself. */
const NON_SECRET_SUFFIXES = [
  'id',
  'ids',
  'count',
  'name',
  'names',
  'type',
  'url',
  'uri',
  'path',
  'file',
  'dir',
  'len',
  'length',
  'size',
  'limit',
  'max',
  'min',
  'usage',
  'index',
  'prefix',
  'header',
  'field',
  'format',
  'env',
  'var',
  'ttl',
  'expiry',
  'expires',
  'timeout',
  'version',
  'endpoint',
  'host',
  'region',
  'user',
  'username',
  'hint',
  'policy',
  'rotation',
  'label',
];

/** Words before `key` that make it a data key, not a credential. */
const NON_SECRET_KEY_OWNERS = [
  'public',
  'primary',
  'foreign',
  'sort',
  'partition',
  'cache',
  'idempotency',
  'dedup',
  'lookup',
  'object',
  'map',
  'dict',
  'row',
  'react',
  'i18n',
  'translation',
  'unique',
  'composite',
  'shortcut',
  'hot',
  'storage',
  'registry',
];

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

/** The keyword starts a word: after a non-letter, or as the capitalized part of camelCase. */
function keywordStartsWord(text: string, index: number): boolean {
  if (index === 0) return true;
  const before = text.charCodeAt(index - 1);
  if (!isLetter(before)) return true;
  return isUpper(text.charCodeAt(index)) && !isUpper(before);
}

/**
 * What follows the keyword in the name is empty, a plural `s`, or a new word (`_id`, `Hash`,
 * `-file`) that does not describe something else than the secret itself.
 */
function acceptableNameRest(keyword: string, rest: string): boolean {
  if (rest === '' || rest === 's' || rest === 'S') return true;
  let tail = rest;
  if (/^[sS][_.A-Z-]/.test(tail)) tail = tail.slice(1);
  const first = tail.charCodeAt(0);
  const separator = tail[0] === '_' || tail[0] === '-' || tail[0] === '.';
  // `tokenCount` starts a new word, `TOKENIZER` and `tokenizer` do not.
  const camelBoundary = isUpper(first) && !isUpper(keyword.charCodeAt(keyword.length - 1));
  if (!separator && !camelBoundary) return false;
  const words = tail
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_.-]+/)
    .filter((word) => word.length > 0);
  const last = words[words.length - 1];
  return last === undefined || !NON_SECRET_SUFFIXES.includes(last);
}

function keyHasNonSecretOwner(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 14), index).toLowerCase();
  return NON_SECRET_KEY_OWNERS.some((owner) => before.endsWith(owner) || before.endsWith(`${owner}_`) || before.endsWith(`${owner}-`));
}

/** The name around a keyword found at `index` reads like the name of a secret. */
function nameLooksSecret(text: string, index: number, keyword: string, rest: string): boolean {
  if (!keywordStartsWord(text, index)) return false;
  if (!acceptableNameRest(keyword, rest)) return false;
  return keyword.toLowerCase() !== 'key' || !keyHasNonSecretOwner(text, index);
}

/** The value assigned to a name with `keyword` looks like a real secret, not code or a placeholder. */
function valueLooksSecret(keyword: string, value: string): boolean {
  if (isPlaceholderOrReference(value) || isPathOrUrl(value) || isDottedIdentifier(value)) return false;
  const classes = characterClasses(value);
  if (PASSWORD_KEYWORDS.has(keyword.toLowerCase())) {
    // A password may be short and plain, but a bare word is a type, a variable or prose.
    return value.length >= 6 && (classes.digit || classes.other);
  }
  // Keys and tokens hold no spaces: a value with one is a sentence ("Expires in 30 minutes").
  if (/\s/.test(value)) return false;
  // Under a bare `key`, a value with dots or of short `/`-separated parts is a lookup key, an
  // object key or a file name (`uploads/2024/report.pdf`), not a credential.
  if (
    keyword.toLowerCase() === 'key' &&
    (value.includes('.') || (value.includes('/') && value.split('/').every((part) => part.length < 16)))
  ) {
    return false;
  }
  if (value.length < 8 || looksLikeSlug(value)) return false;
  const letters = classes.lower || classes.upper;
  const mixed = (letters && classes.digit) || (value.length >= 20 && classes.lower && classes.upper);
  if (!mixed) return false;
  return shannonEntropy(value) >= (value.length < 16 ? 2.5 : 3.2);
}

/**
 * Lower-case words joined by dashes or underscores (`node-modules-v2`, `oauth2-proxy-v7`): a
 * name, a cache key or a version tag. Generated tokens have few, if any, plain-word parts.
 */
function looksLikeSlug(value: string): boolean {
  if (!/^[a-z0-9]+(?:[-_][a-z0-9]+)+$/.test(value)) return false;
  // Short parts (`v2`, `io`) say nothing; a word may carry a version (`oauth2`).
  const parts = value.split(/[-_]/).filter((part) => part.length > 2);
  const words = parts.filter((part) => /^[a-z]{3,}[0-9]{0,2}$/.test(part)).length;
  return parts.length > 0 && words * 2 >= parts.length;
}

/**
 * In free text, a quoted value with spaces is prose ("Enter your password", "Sent to 2
 * addresses") unless it is a short phrase that also holds a digit or a symbol.
 */
function looksLikeProse(value: string): boolean {
  if (!/\s/.test(value)) return false;
  return value.trim().split(/\s+/).length > 4 || !/[^A-Za-z\s]/.test(value);
}

function validate(value: string, { match, text }: RuleMatchContext): boolean {
  const keyword = match[1] ?? '';
  return nameLooksSecret(text, match.index, keyword, match[2] ?? '') && !looksLikeProse(value) && valueLooksSecret(keyword, value);
}

const NAME_KEYWORD = new RegExp(PATTERN.source.slice(0, PATTERN.source.indexOf(')') + 1), 'gi');

/**
 * True when a JSON key reads like the name of a secret and its string value like a secret:
 * the same test as the rule, for `{"password": "..."}` where the key and the value are apart.
 */
export function isSecretNamedValue(name: string, value: string): boolean {
  if (value.length > 512 || value.includes('\n')) return false;
  NAME_KEYWORD.lastIndex = 0;
  for (let match = NAME_KEYWORD.exec(name); match !== null; match = NAME_KEYWORD.exec(name)) {
    const keyword = match[0];
    const rest = name.slice(match.index + keyword.length);
    if (rest.length <= 30 && nameLooksSecret(name, match.index, keyword, rest)) return valueLooksSecret(keyword, value);
    NAME_KEYWORD.lastIndex = match.index + 1;
  }
  return false;
}

export const secretAssignmentRule: RedactionRule = {
  id: 'secret-assignment',
  description:
    'A random-looking value assigned to a name that says key, token, secret, password or credential (`API_KEY=...`, `"token": "..."`, `password: ...`)',
  keywords: ['key', 'token', 'secret', 'passw', 'pwd', 'passphrase', 'credential', 'auth'],
  pattern: PATTERN,
  secretGroup: 3,
  validate,
  // The name starts with a keyword, or with at most 8 characters before one (`private_key`).
  keywordOffset: { min: 0, max: 8 },
  // The `=` or `:` comes at most 47 characters after a keyword of the name: the rest of the
  // longest name word (`credentials`, 11 from its keyword's start), 30 more name characters,
  // an escaped quote (2) and 4 spaces. Most keywords in prose have none that close.
  keywordFollowedBy: { chars: ':=', within: 48 },
};
