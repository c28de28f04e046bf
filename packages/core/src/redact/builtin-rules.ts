import { looksRandom, shannonEntropy } from './entropy.js';
import type { RedactionRule } from './rule.js';
import { secretAssignmentRule } from './secret-assignment.js';
import { decodeBase64, isPlaceholderOrReference, isPrintableAscii } from './value-filters.js';

// `keywordOffset` says where a keyword sits in every match (see RedactionRule): the rules that
// have it are tried only near their keywords. The others search the whole text: their matches
// need not hold a keyword at a known offset (private-key: a block found beside another one's
// marker; aws-secret-access-key: mixed separators; connection strings: the `Address=` form).
//
// Patterns are written for linear-time matching: every repetition is bounded or stops at a
// character the next token cannot start with, and token rules begin with a literal prefix.
// `(?<![A-Za-z0-9_-])` keeps a token from being found in the middle of a longer word.

/** The body of a PEM block: base64 lines, armor headers, and `\n` escapes when the key sits in JSON. */
const PEM_BODY = String.raw`(?:[A-Za-z0-9+/=\s\\:,]|-(?!----))*`;
const PEM_BEGIN = '-----BEGIN[A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?-----';
const PEM_END = '-----END[A-Z0-9 ]{0,30}PRIVATE KEY(?: BLOCK)?-----';
/**
 * A complete block (end marker within 64 KiB, before any other begin marker, so that a text
 * full of begin markers stays linear), else a truncated one up to where its body stops.
 */
const PEM_BLOCK = String.raw`${PEM_BEGIN}(?:(?:(?!-----BEGIN)[\s\S]){0,65536}?${PEM_END}|${PEM_BODY})`;

const notPlaceholder = (secret: string): boolean => !isPlaceholderOrReference(secret);

/** The rules that run by default, in order: specific token shapes first, generic ones last. */
export const BUILTIN_RULES: readonly RedactionRule[] = [
  {
    id: 'gcp-service-account',
    description: 'The private key and private key id of a Google Cloud service-account JSON key',
    keywords: ['private_key'],
    pattern: new RegExp(
      String.raw`private_key_id\\?["']\s{0,4}:\s{0,4}\\?["']([a-f0-9]{40})|private_key\\?["']\s{0,4}:\s{0,4}\\?["'](${PEM_BLOCK})`,
      'gd',
    ),
    // Only in a service-account key file; any other `private_key` is left to private-key.
    validate: (_secret, { text }) => text.includes('service_account') || text.includes('gserviceaccount.com'),
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'private-key',
    description: 'PEM private key blocks (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted, PGP)',
    // PGP armor ends its markers in `PRIVATE KEY BLOCK-----`.
    keywords: ['private key-----', 'private key block-----'],
    // Runs after gcp-service-account, which claims the key of a service-account JSON file.
    pattern: new RegExp(PEM_BLOCK, 'gd'),
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key ids (long-term AKIA, temporary ASIA, and the other key-id prefixes)',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    pattern: /(?<![A-Za-z0-9_-])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access keys, found by the name they are assigned to (`=`, `:` or a space, as in `aws configure set`)',
    keywords: ['secretaccesskey', 'secret_access_key', 'secret-access-key', 'aws_secret', 'aws-secret', 'awssecret'],
    pattern:
      /(?:aws[_-]?secret(?:[_-]?access)?[_-]?key|secret[_-]?access[_-]?key)(?:\\?["'])?\s{0,4}(?:=>|=|:)?\s{0,4}(?:\\?["'])?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    validate: (secret) => looksRandom(secret, 3.5),
  },
  {
    id: 'github-classic-token',
    description: 'GitHub classic personal access tokens (ghp_)',
    keywords: ['ghp_'],
    pattern: /(?<![A-Za-z0-9_-])ghp_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'github-fine-grained-token',
    description: 'GitHub fine-grained personal access tokens (github_pat_)',
    keywords: ['github_pat_'],
    pattern: /(?<![A-Za-z0-9_-])github_pat_[A-Za-z0-9_]{40,244}(?![A-Za-z0-9_])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'github-oauth-token',
    description: 'GitHub OAuth access tokens (gho_)',
    keywords: ['gho_'],
    pattern: /(?<![A-Za-z0-9_-])gho_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'github-app-token',
    description: 'GitHub App user-to-server, server-to-server (installation) and refresh tokens (ghu_, ghs_, ghr_)',
    keywords: ['ghu_', 'ghs_', 'ghr_'],
    pattern: /(?<![A-Za-z0-9_-])gh[usr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'gitlab-token',
    description: 'GitLab personal, deploy, runner, pipeline-trigger, OAuth and other prefixed tokens',
    keywords: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glsoat-', 'glcbt-', 'glffct-', 'glimt-', 'gloas-', 'glagent-', 'glft-', 'gr1348941'],
    pattern:
      /(?<![A-Za-z0-9_-])(?:gl(?:pat|dt|rt|ptt|soat|cbt|ffct|imt|oas|agent|ft)-[A-Za-z0-9_-]{20,255}|GR1348941[A-Za-z0-9_-]{20,255})(?![A-Za-z0-9_-])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'slack-webhook',
    description: 'Slack incoming-webhook and workflow URLs',
    keywords: ['hooks.slack.com'],
    pattern: /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{20,300}/dg,
    keywordOffset: { min: 7, max: 8 },
  },
  {
    id: 'slack-token',
    description: 'Slack bot, user, app-level, configuration and refresh tokens (xoxb-, xoxp-, xapp-, ...)',
    keywords: ['xox', 'xapp-'],
    pattern: /(?<![A-Za-z0-9_-])(?:xox[abposre]-[A-Za-z0-9-]{10,250}|xapp-\d-[A-Za-z0-9-]{10,250})(?![A-Za-z0-9_-])/dg,
    validate: (secret) => /\d/.test(secret),
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'stripe-key',
    description: 'Stripe secret and restricted keys (sk_live_, rk_test_, ...) and webhook signing secrets (whsec_)',
    keywords: ['sk_live_', 'sk_test_', 'sk_prod_', 'rk_live_', 'rk_test_', 'rk_prod_', 'whsec_'],
    pattern: /(?<![A-Za-z0-9_-])(?:[sr]k_(?:live|test|prod)_[A-Za-z0-9]{10,247}|whsec_[A-Za-z0-9+/=]{24,100})(?![A-Za-z0-9_])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'anthropic-api-key',
    description: 'Anthropic API, admin and OAuth keys (sk-ant-api03-, sk-ant-admin01-, ...)',
    keywords: ['sk-ant-'],
    pattern: /(?<![A-Za-z0-9_-])sk-ant-[a-z]{2,10}\d{2}-[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'openai-api-key',
    description: 'OpenAI API keys: project, service-account and admin keys, and the legacy sk- keys',
    keywords: ['sk-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?:sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,300}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-[A-Za-z0-9]{48})(?![A-Za-z0-9_-])/dg,
    validate: (secret) => looksRandom(secret, 3.5),
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'google-api-key',
    description: 'Google API keys (AIza...)',
    keywords: ['aiza'],
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'google-oauth-client-secret',
    description: 'Google OAuth client secrets (GOCSPX-)',
    keywords: ['gocspx-'],
    pattern: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'google-oauth-access-token',
    description: 'Google OAuth access tokens (ya29.)',
    keywords: ['ya29.'],
    pattern: /(?<![A-Za-z0-9_-])ya29\.[A-Za-z0-9_-]{20,2048}/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'huggingface-token',
    description: 'Hugging Face user access tokens (hf_) and organization tokens (api_org_)',
    keywords: ['hf_', 'api_org_'],
    pattern: /(?<![A-Za-z0-9_-])(?:hf_[A-Za-z0-9]{34,40}|api_org_[A-Za-z0-9]{34})(?![A-Za-z0-9_-])/dg,
    validate: (secret) => looksRandom(secret.slice(secret.indexOf('_') + 1), 3.5),
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'npm-token',
    description: 'npm access tokens (npm_) and `_authToken=` lines of .npmrc',
    keywords: ['npm_', '_authtoken'],
    pattern: /(?<![A-Za-z0-9_-])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])|_authToken\s{0,4}=\s{0,4}(?:\\?["'])?([A-Za-z0-9._~+/=-]{16,512})/dg,
    validate: notPlaceholder,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'pypi-token',
    description: 'PyPI and TestPyPI upload tokens (pypi-AgEI...)',
    keywords: ['pypi-ageichlwas5vcmc', 'pypi-agendgvzdc5wexbplm9yzw'],
    pattern: /(?<![A-Za-z0-9_-])pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{40,300}(?![A-Za-z0-9_-])/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'azure-storage-key',
    description: 'Azure storage account keys and Service Bus / Event Hubs shared access keys in connection strings',
    keywords: ['accountkey', 'sharedaccesskey'],
    pattern: /(?:AccountKey|SharedAccessKey)\s{0,4}=\s{0,4}([A-Za-z0-9+/]{40,100}={0,2})/dgi,
    validate: (secret) => shannonEntropy(secret) >= 4,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'azure-ad-client-secret',
    description: 'Microsoft Entra ID (Azure AD) application client secrets (the `Q~` shape)',
    keywords: ['q~'],
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/dg,
    keywordOffset: { min: 4, max: 4 },
  },
  {
    id: 'azure-sas-signature',
    description: 'The signature of Azure shared access signature (SAS) URLs',
    keywords: ['sig='],
    pattern: /[?&]sig=([A-Za-z0-9%+/]{40,150}(?:%3D|=){0,2})/dgi,
    keywordOffset: { min: 1, max: 1 },
  },
  {
    id: 'jwt',
    description: 'JSON Web Tokens (three base64url parts, header and payload JSON objects)',
    keywords: ['eyj'],
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,8192}\.eyJ[A-Za-z0-9_-]{8,65536}\.[A-Za-z0-9_-]{0,8192}/dg,
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'authorization-bearer',
    description: 'Bearer tokens and `Authorization: token ...` header values',
    keywords: ['bearer', 'authorization'],
    pattern: /\b(?:bearer|authorization\\?["']?\s{0,4}[:=]\s{0,4}(?:\\?["'])?token)\s{1,4}([A-Za-z0-9._~+/=-]{16,4096})/dgi,
    validate: (secret) => notPlaceholder(secret) && looksRandom(secret, 3),
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'authorization-basic',
    description: 'HTTP Basic credentials (base64 of user:password)',
    keywords: ['basic'],
    pattern: /\b[Bb]asic\s{1,4}([A-Za-z0-9+/]{8,4096}={0,2})(?![A-Za-z0-9+/=])/dg,
    validate: (secret) => {
      const decoded = decodeBase64(secret);
      return decoded !== undefined && isPrintableAscii(decoded) && decoded.includes(':');
    },
    keywordOffset: { min: 0, max: 0 },
  },
  {
    id: 'database-connection-string',
    description: 'Passwords in database URLs (postgres://, mysql://, mongodb+srv://, redis://, ...) and in key=value connection strings',
    keywords: [
      'postgres',
      'mysql',
      'mariadb',
      'mongodb',
      'redis',
      'amqp',
      'mssql',
      'sqlserver',
      'clickhouse',
      'cockroach',
      'oracle',
      'jdbc:',
      'server=',
      'data source=',
      'host=',
    ],
    pattern:
      /(?<![A-Za-z0-9_-])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb|oracle|jdbc:[a-z]{2,20})(?:\+[a-z0-9]{1,20})?:\/\/[^\s:/?#@"'<>\\]{0,128}:([^\s/?#@"'<>\\]{1,256})@|(?:Server|Data Source|Host|Address)\s{0,4}=[^;"'\r\n]{1,200};(?:[^;"'\r\n]{0,200};){0,12}?\s{0,4}(?:Password|Pwd)\s{0,4}=\s{0,4}([^;"'\r\n]{1,256})/dgi,
    validate: notPlaceholder,
  },
  {
    id: 'url-credentials',
    description: 'The password of credentials embedded in a URL (scheme://user:password@host)',
    keywords: ['://'],
    pattern: /[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:/?#@"'<>\\]{1,128}:([^\s/?#@"'<>\\]{1,256})@/dg,
    validate: notPlaceholder,
    keywordOffset: { min: 2, max: 31 },
  },
  secretAssignmentRule,
];
