import { describe, expect, test } from 'vitest';
import { builtinRedactionRules, createRedactor } from '../../src/index.js';

// Values are random and valid-shaped; they belong to no account.
const CASES: [rule: string, input: string, expected: string][] = [
  ['aws-access-key-id', 'export AWS_ACCESS_KEY_ID=AKIAZ7QF3K2M5N6P7R2T', 'export AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key-id]'],
  ['aws-access-key-id', 'session key ASIAV2X3Y4Z5A6B7C2D3 expires', 'session key [REDACTED:aws-access-key-id] expires'],
  [
    'aws-secret-access-key',
    'aws configure set aws_secret_access_key Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6m',
    'aws configure set aws_secret_access_key [REDACTED:aws-secret-access-key]',
  ],
  [
    'aws-secret-access-key',
    'aws_secret_access_key = Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6m',
    'aws_secret_access_key = [REDACTED:aws-secret-access-key]',
  ],
  [
    'aws-secret-access-key',
    '"SecretAccessKey": "Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6m"',
    '"SecretAccessKey": "[REDACTED:aws-secret-access-key]"',
  ],
  ['github-classic-token', 'token ghp_Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4', 'token [REDACTED:github-classic-token]'],
  [
    'github-fine-grained-token',
    'github_pat_11ABCDEFG0abcdefghijkl_Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6mQ8wE0rT2yU4iO6pA8sD0fG2h',
    '[REDACTED:github-fine-grained-token]',
  ],
  ['github-oauth-token', '"access_token":"gho_Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4"', '"access_token":"[REDACTED:github-oauth-token]"'],
  [
    'github-app-token',
    'x-access-token ghs_Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4 and ghu_Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4',
    'x-access-token [REDACTED:github-app-token] and [REDACTED:github-app-token]',
  ],
  ['gitlab-token', 'PRIVATE-TOKEN: glpat-Zq8mW2rT5yU7iO9pA1sD', 'PRIVATE-TOKEN: [REDACTED:gitlab-token]'],
  ['slack-token', 'SLACK=xoxb-123456789012-1234567890123-Zq8mW2rT5yU7iO9pA1sD3fG5', 'SLACK=[REDACTED:slack-token]'],
  [
    'slack-webhook',
    'post to https://hooks.slack.com/services/T01ABCDEF/B02GHIJKLMN/Zq8mW2rT5yU7iO9pA1sD3fG5 now',
    'post to [REDACTED:slack-webhook] now',
  ],
  ['stripe-key', "stripe.api_key = 'sk_live_Zq8mW2rT5yU7iO9pA1sD3fG5'", "stripe.api_key = '[REDACTED:stripe-key]'"],
  ['stripe-key', 'whsec_Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX', '[REDACTED:stripe-key]'],
  [
    'anthropic-api-key',
    'ANTHROPIC_API_KEY=sk-ant-api03-Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6mQ8wE0rT2yU4iO6pA8sD0fG2hJ4kL6zX8cV0bN2mQ4wE6rT8yU0iO2pA4sD6fG8hJAA',
    'ANTHROPIC_API_KEY=[REDACTED:anthropic-api-key]',
  ],
  ['openai-api-key', 'key: sk-proj-Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6mQ8wE0rT2yU4iO6pA8s', 'key: [REDACTED:openai-api-key]'],
  ['openai-api-key', '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', '[REDACTED:openai-api-key]'],
  ['google-api-key', '?key=AIzaSyZq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2&q=1', '?key=[REDACTED:google-api-key]&q=1'],
  [
    'google-oauth-client-secret',
    '"client_secret": "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"',
    '"client_secret": "[REDACTED:google-oauth-client-secret]"',
  ],
  ['google-oauth-access-token', 'ya29.a0AfB_Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4', '[REDACTED:google-oauth-access-token]'],
  ['huggingface-token', 'HF_TOKEN=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', 'HF_TOKEN=[REDACTED:huggingface-token]'],
  ['npm-token', 'npm_Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4', '[REDACTED:npm-token]'],
  [
    'npm-token',
    '//registry.npmjs.org/:_authToken=8c1f2a7e-4b3d-4e8a-9c1f-2a7e4b3d4e8a',
    '//registry.npmjs.org/:_authToken=[REDACTED:npm-token]',
  ],
  [
    'pypi-token',
    'password = pypi-AgEIcHlwaS5vcmcCJDZxOGtXMnJUNXlVN2lPOXBBMXNEM2ZHNWhKN2tMOXpYMmNWNGJONm1RBIG',
    'password = [REDACTED:pypi-token]',
  ],
  [
    'azure-storage-key',
    'AccountName=acct;AccountKey=Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6mQ8wE0rT2yU4iO6pA8sD0fG2hJ4kL6zX8cV0bN2mQ4wE6rT8yU0iO2pA==;EndpointSuffix=core.windows.net',
    'AccountName=acct;AccountKey=[REDACTED:azure-storage-key];EndpointSuffix=core.windows.net',
  ],
  [
    'azure-ad-client-secret',
    'AZURE_CLIENT_SECRET=abc8Q~Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2c',
    'AZURE_CLIENT_SECRET=[REDACTED:azure-ad-client-secret]',
  ],
  [
    'azure-sas-signature',
    'https://a.blob.core.windows.net/c?sv=2024-05-04&sp=r&sig=Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6m%2BQ8w%3D',
    'https://a.blob.core.windows.net/c?sv=2024-05-04&sp=r&sig=[REDACTED:azure-sas-signature]',
  ],
  [
    'jwt',
    'cookie=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkYW5hIiwiaWF0IjoxNzY0MDAwMDAwfQ.Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6mQ8w; path=/',
    'cookie=[REDACTED:jwt]; path=/',
  ],
  ['authorization-bearer', 'Authorization: Bearer Zq8mW2rT5yU7iO9pA1sD3fG5hJ7k', 'Authorization: Bearer [REDACTED:authorization-bearer]'],
  [
    'authorization-bearer',
    '-H "Authorization: token Zq8mW2rT5yU7iO9pA1sD3fG5hJ7k"',
    '-H "Authorization: token [REDACTED:authorization-bearer]"',
  ],
  ['authorization-basic', 'Authorization: Basic ZGVwbG95OlpxOG1XMnJUNXlVNw==', 'Authorization: Basic [REDACTED:authorization-basic]'],
  [
    'url-credentials',
    'git remote add origin https://ci-bot:Zq8mW2rT5yU7iO9p@git.example.org/x.git',
    'git remote add origin https://ci-bot:[REDACTED:url-credentials]@git.example.org/x.git',
  ],
  [
    'database-connection-string',
    'mongodb+srv://app:Zq8mW2rT5yU7@cluster0.mongodb.net/db',
    'mongodb+srv://app:[REDACTED:database-connection-string]@cluster0.mongodb.net/db',
  ],
  ['database-connection-string', 'redis://:Zq8mW2rT5yU7@cache:6379/0', 'redis://:[REDACTED:database-connection-string]@cache:6379/0'],
  [
    'database-connection-string',
    'Server=tcp:db.internal,1433;Initial Catalog=app;User ID=app;Password=Zq8mW2rT5y!;Encrypt=True',
    'Server=tcp:db.internal,1433;Initial Catalog=app;User ID=app;Password=[REDACTED:database-connection-string];Encrypt=True',
  ],
  ['secret-assignment', 'STATKIT_API_SECRET=Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX', 'STATKIT_API_SECRET=[REDACTED:secret-assignment]'],
  ['secret-assignment', 'db_password: "hunter22"', 'db_password: "[REDACTED:secret-assignment]"'],
  ['secret-assignment', `PASSWORD="p@ss;w(rd) 1"`, 'PASSWORD="[REDACTED:secret-assignment]"'],
  ['secret-assignment', "auth_token = 'Zq8mW2rT5y,U7iO9pA1sD'", "auth_token = '[REDACTED:secret-assignment]'"],
  ['secret-assignment', 'const apiKey = "Zq8mW2rT5yU7iO9pA1sD";', 'const apiKey = "[REDACTED:secret-assignment]";'],
  [
    'secret-assignment',
    'SENDGRID_API_KEY=SG.Zq8mW2rT5yU7iO9pA1sD3f.G5hJ7kL9zX2cV4bN6mQ8wE0rT2yU4iO6pA8sD0fG2hJ4',
    'SENDGRID_API_KEY=[REDACTED:secret-assignment]',
  ],
  [
    'secret-assignment',
    'https://api.example.org/v1/items?access_token=Zq8mW2rT5yU7iO9pA1sD&page=2',
    'https://api.example.org/v1/items?access_token=[REDACTED:secret-assignment]&page=2',
  ],
  ['secret-assignment', 'TWILIO_AUTH_TOKEN=9f86d081884c7d659a2feaa0c55ad015', 'TWILIO_AUTH_TOKEN=[REDACTED:secret-assignment]'],
  ['secret-assignment', '{\\"client_secret\\": \\"Zq8mW2rT5yU7iO9pA1sD\\"}', '{\\"client_secret\\": \\"[REDACTED:secret-assignment]\\"}'],
];

describe('built-in rules', () => {
  test.each(CASES)('%s: %s', (rule, input, expected) => {
    const redactor = createRedactor({ anonymizePaths: false });
    expect(redactor.redactText(input)).toBe(expected);
    expect(Object.keys(redactor.counts)).toEqual([rule]);
  });

  test('every built-in rule has a case above, and ids are unique', () => {
    const ids = builtinRedactionRules().map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !CASES.some(([rule]) => rule === id))).toEqual(['gcp-service-account', 'private-key']);
  });

  test('PEM private keys: complete, truncated, and inside JSON with escaped newlines', () => {
    const body =
      'MIIEowIBAAKCAQEAzq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6mQ8wE0rT2\nyU4iO6pA8sD0fG2hJ4kL6zX8cV0bN2mQ4wE6rT8yU0iO2pA4sD6fG8hJ0kL2zX4';
    const complete = `key:\n-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\ndone`;
    const truncated = `$ head -c 120 id_rsa\n-----BEGIN OPENSSH PRIVATE KEY-----\n${body}`;
    const escaped = JSON.stringify({ key: `-----BEGIN EC PRIVATE KEY-----\n${body}\n-----END EC PRIVATE KEY-----\n` });
    const redactor = createRedactor({ anonymizePaths: false });
    expect(redactor.redactText(complete)).toBe('key:\n[REDACTED:private-key]\ndone');
    expect(redactor.redactText(truncated)).toBe('$ head -c 120 id_rsa\n[REDACTED:private-key]');
    expect(redactor.redactText(escaped)).toBe('{"key":"[REDACTED:private-key]\\n"}');
    expect(redactor.counts).toEqual({ 'private-key': 3 });
  });

  test('a private_key outside of a service-account file is a plain private key', () => {
    const redactor = createRedactor({ anonymizePaths: false });
    const text =
      '{"private_key": "-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oQnCz8Y5vWdWoAoGCCqGSM49\\n-----END EC PRIVATE KEY-----"}';
    expect(redactor.redactText(text)).toBe('{"private_key": "[REDACTED:private-key]"}');
    expect(redactor.counts).toEqual({ 'private-key': 1 });
  });

  test('a service-account JSON key loses its private key and key id', () => {
    const file = JSON.stringify(
      {
        type: 'service_account',
        private_key_id: '3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a',
        private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n',
        client_email: 'ci@project.iam.gserviceaccount.com',
      },
      null,
      2,
    );
    const redactor = createRedactor({ anonymizePaths: false });
    const out = redactor.redactText(file);
    expect(JSON.parse(out)).toEqual({
      type: 'service_account',
      private_key_id: '[REDACTED:gcp-service-account]',
      private_key: '[REDACTED:gcp-service-account]\n',
      client_email: 'ci@project.iam.gserviceaccount.com',
    });
    expect(redactor.counts).toEqual({ 'gcp-service-account': 2 });
  });

  test('placeholders and references are not secrets', () => {
    const redactor = createRedactor({ anonymizePaths: false });
    for (const text of [
      'API_KEY=your_api_key_here',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, on purpose
      'password: ${DB_PASSWORD}',
      'token = os.environ["TOKEN"]',
      'Authorization: Bearer <token>',
      'postgres://user:password@localhost/db',
      'SECRET=xxxxxxxxxxxxxxxx',
      'api_key = config.api_key',
      'secret_key_file = /run/secrets/key',
      'password: "Please enter your password"',
      "token: 'Your session has expired'",
      'token: "Expires in 30 minutes"',
      'password: "Reset link sent to 2 addresses"',
    ]) {
      expect(redactor.redactText(text)).toBe(text);
    }
  });
});

describe('cost on hostile input', () => {
  // Each string is 200k characters; a regular expression that backtracks on it would not finish.
  const hostile = [
    'a'.repeat(200_000),
    'key'.repeat(70_000),
    'token='.repeat(35_000),
    `-----BEGIN PRIVATE KEY-----${'A'.repeat(200_000)}`,
    '-----BEGIN PRIVATE KEY-----'.repeat(7_000),
    ` eyJ${'a'.repeat(200_000)}`,
    ' eyJaaaaaaaaaa.eyJ'.repeat(11_000),
    'https://'.repeat(25_000),
    `https://${'user:'.repeat(40_000)}`,
    'ghp_'.repeat(50_000),
    'Bearer '.repeat(30_000),
    `Server=${'x;'.repeat(100_000)}`,
    '/home/'.repeat(35_000),
    'sk-'.repeat(70_000),
    `password=${'!'.repeat(200_000)}`,
    'AKIA'.repeat(50_000),
    'password: "'.repeat(20_000),
    `key="${'a '.repeat(100_000)}`,
    `C:\\Users\\${'x'.repeat(200_000)}`,
  ];
  test.each(hostile.map((text, index) => [index, text] as const))('hostile string %i is scanned to its end', (_index, text) => {
    const redactor = createRedactor({ homeDir: '/home/dana' });
    const out = redactor.redactText(text);
    expect(typeof out).toBe('string');
    expect(out.length).toBeGreaterThan(0);
  });
});
