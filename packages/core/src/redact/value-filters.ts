import { REDACTED_PREFIX } from './rule.js';

/** Words that mark a value as a placeholder in docs and templates, not a real secret. */
const PLACEHOLDER_MARKERS = [
  'example',
  'placeholder',
  'your_',
  'your-',
  'yourkey',
  'yourtoken',
  'xxxx',
  '****',
  '....',
  'changeme',
  'change_me',
  'redacted',
  'dummy',
  'sample',
  'insert_',
  'replace_me',
  'replaceme',
  '<',
  '>',
];

/** Values that are written in place of a password in examples. */
const PLACEHOLDER_VALUES = new Set(['password', 'passwd', 'pass', 'secret', 'pwd', 'token', 'user', 'username', 'null', 'none']);

/** Prefixes of values that read a secret from elsewhere instead of holding it. */
const INDIRECT_PREFIXES = ['$', '%', '{', '#', '@', 'process.env', 'os.environ', 'os.getenv', 'env.', 'env[', 'getenv', 'secrets.'];

/** True when a candidate value is a placeholder, a variable reference, or an earlier redaction. */
export function isPlaceholderOrReference(value: string): boolean {
  if (value.startsWith(REDACTED_PREFIX)) return true;
  const lower = value.toLowerCase();
  if (PLACEHOLDER_VALUES.has(lower)) return true;
  for (const prefix of INDIRECT_PREFIXES) if (lower.startsWith(prefix)) return true;
  for (const marker of PLACEHOLDER_MARKERS) if (lower.includes(marker)) return true;
  // One character repeated (`aaaaaaaa`, `00000000`) is a filler.
  let same = true;
  for (let i = 1; i < value.length && same; i++) same = value.charCodeAt(i) === value.charCodeAt(0);
  return same;
}

/** Names joined by dots, each of at most 24 characters: longer parts are generated, as in `SG.<22>.<43>` keys. */
const DOTTED_IDENTIFIER = /^[A-Za-z_$][\w$]{0,23}(?:\.[A-Za-z_$][\w$]{0,23})+$/;

/** True for `config.apiKey`, `self.token`, `req.body.password`: code that names a value. */
export function isDottedIdentifier(value: string): boolean {
  return DOTTED_IDENTIFIER.test(value);
}

/** True for a value that is a path or a URL rather than a secret. */
export function isPathOrUrl(value: string): boolean {
  return value.includes('://') || value.startsWith('/') || value.startsWith('./') || value.startsWith('../') || value.startsWith('~/');
}

/** Decodes standard base64; undefined when it is not. */
export function decodeBase64(value: string): string | undefined {
  if (value.length % 4 === 1) return undefined;
  try {
    return Buffer.from(value, 'base64').toString('latin1');
  } catch {
    return undefined;
  }
}

/** True when every character is printable ASCII. */
export function isPrintableAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 32 || code > 126) return false;
  }
  return value.length > 0;
}
