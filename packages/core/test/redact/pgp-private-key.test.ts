import { describe, expect, test } from 'vitest';
import { createRedactor } from '../../src/index.js';

// A fake PGP secret-key export (random base64, no real key), as `gpg --export-secret-keys --armor` prints it.
const PGP_BLOCK = [
  '-----BEGIN PGP PRIVATE KEY BLOCK-----',
  '',
  'lQOYBGVxZq8BCADZq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4bN6mQ8wE0rT2y',
  'U4iO6pA8sD0fG2hJ4kL6zX8cV0bN2mQ4wE6rT8yU0iO2pA4sD6fG8hJ0kL2zX4c',
  '=Zq8m',
  '-----END PGP PRIVATE KEY BLOCK-----',
].join('\n');

describe('PGP private key blocks', () => {
  test('are redacted as private keys, in text and inside JSON with escaped newlines', () => {
    const redactor = createRedactor({ anonymizePaths: false });
    expect(redactor.redactText(`key:\n${PGP_BLOCK}\ndone`)).toBe('key:\n[REDACTED:private-key]\ndone');
    const json = JSON.stringify({ content: PGP_BLOCK });
    expect(redactor.redactText(json)).toBe('{"content":"[REDACTED:private-key]"}');
    expect(redactor.counts).toEqual({ 'private-key': 2 });
  });
});
