import { describe, expect, test } from 'vitest';
import { createRedactor, finalizeRollout, loadRedactionRules, type NormalizedRollout } from '../../src/index.js';
import { useTempFiles } from '../helpers/temp-files.js';

const TOKEN = 'ghp_Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9zX2cV4';

function row(overrides: Partial<NormalizedRollout> = {}): NormalizedRollout {
  return {
    ...finalizeRollout({
      trace_id: 's1',
      source_kind: 'claude_code',
      source_path: '/home/dana/.claude/projects/-home-dana-work-app/s1.jsonl',
      root_session_id: 's1',
      agent_id: null,
      is_sidechain: false,
      cwd: '/home/dana/work/app',
      project_path: '/home/dana/work/app',
      git_branch: 'main',
      started_at: null,
      ended_at: null,
      messages: [
        { role: 'user', content: [{ type: 'text', text: `use ${TOKEN}` }] },
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'Calling the tool.' }],
          tool_calls: [
            {
              id: 'c1',
              type: 'function',
              function: { name: 'Bash', arguments: JSON.stringify({ command: 'ls', env: { password: 'correct horse battery' } }) },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: 'ok' }], metadata: { raw: { nested: [`token ${TOKEN}`] } } },
        { role: 'assistant', content: [{ type: 'text', text: `done with ${TOKEN}` }] },
      ],
      source_meta: { summary: `summary ${TOKEN}`, attachment: { type: 'base64', data: 'QUtJQVo3UUYzSzJNNU42UDdSMlQ=' } },
    }),
    ...overrides,
  };
}

describe('createRedactor options', () => {
  test('on by default: tokens, JSON values named like secrets, metadata, source_meta, final answer', () => {
    const redactor = createRedactor({ homeDir: '/home/dana' });
    const out = redactor.redactRow(row());
    expect(out.messages[0]?.content).toEqual([{ type: 'text', text: 'use [REDACTED:github-classic-token]' }]);
    expect(JSON.parse(out.messages[1]?.tool_calls?.[0]?.function.arguments ?? '')).toEqual({
      command: 'ls',
      env: { password: '[REDACTED:secret-assignment]' },
    });
    expect(out.messages[2]?.metadata).toEqual({ raw: { nested: ['token [REDACTED:github-classic-token]'] } });
    expect(out.source_meta).toEqual({
      summary: 'summary [REDACTED:github-classic-token]',
      attachment: { type: 'base64', data: 'QUtJQVo3UUYzSzJNNU42UDdSMlQ=' },
    });
    expect(out.final_assistant_message).toBe('done with [REDACTED:github-classic-token]');
    expect(out.cwd).toBe('~/work/app');
    expect(out.source_path).toBe('~/.claude/projects/-home-<user>-work-app/s1.jsonl');
    expect(redactor.counts).toEqual({ 'github-classic-token': 4, 'secret-assignment': 1, 'home-directory': 3, 'user-name': 1 });
  });

  test('enabled: false returns rows and texts untouched, and counts nothing', () => {
    const redactor = createRedactor({ enabled: false });
    const input = row();
    expect(redactor.redactRow(input)).toBe(input);
    expect(redactor.redactText(TOKEN)).toBe(TOKEN);
    expect(redactor.counts).toEqual({});
  });

  test('paths can be anonymized without secret rules, and the reverse', () => {
    const pathsOnly = createRedactor({ enabled: false, anonymizePaths: true, homeDir: '/home/dana' });
    expect(pathsOnly.redactText(`/home/dana/x ${TOKEN}`)).toBe(`~/x ${TOKEN}`);
    const secretsOnly = createRedactor({ anonymizePaths: false });
    expect(secretsOnly.redactText(`/home/dana/x ${TOKEN}`)).toBe('/home/dana/x [REDACTED:github-classic-token]');
  });

  test('disabledRules turns rules off; an unknown id is an error that lists the known ones', () => {
    const redactor = createRedactor({ disabledRules: ['github-classic-token'], anonymizePaths: false });
    expect(redactor.redactText(`GITHUB_TOKEN=${TOKEN}`)).toBe('GITHUB_TOKEN=[REDACTED:secret-assignment]');
    expect(createRedactor({ disabledRules: ['github-classic-token', 'secret-assignment'], anonymizePaths: false }).redactText(TOKEN)).toBe(
      TOKEN,
    );
    expect(() => createRedactor({ disabledRules: ['github-token'] })).toThrow(
      /cannot disable redaction rule "github-token": no such rule \(known: .*github-classic-token/,
    );
  });

  test('extraRules add patterns, with keywords, secret groups and an entropy floor', () => {
    const redactor = createRedactor({
      anonymizePaths: false,
      extraRules: [
        { id: 'acme-key', pattern: 'acme_[a-z0-9]{16}', keywords: ['acme_'] },
        { id: 'ticket-secret', pattern: 'ticket-secret: (\\w+)', secretGroup: 1, minEntropy: 2.5 },
      ],
    });
    expect(redactor.redactText('k=acme_0123456789abcdef;')).toBe('k=[REDACTED:acme-key];');
    expect(redactor.redactText('ticket-secret: q8W2r5Y7 and ticket-secret: aaaaaaaa')).toBe(
      'ticket-secret: [REDACTED:ticket-secret] and ticket-secret: aaaaaaaa',
    );
  });

  test('bad extra rules are refused with the rule named', () => {
    expect(() => createRedactor({ extraRules: [{ id: 'Bad Id', pattern: 'x' }] })).toThrow(/extraRules\[0\]: rule id "Bad Id"/);
    expect(() => createRedactor({ extraRules: [{ id: 'broken', pattern: '(' }] })).toThrow(
      /extraRules\[0\] \(rule "broken"\): invalid regular expression/,
    );
    expect(() => createRedactor({ extraRules: [{ id: 'empty', pattern: 'a*' }] })).toThrow(/matches the empty string/);
    expect(() => createRedactor({ extraRules: [{ id: 'group', pattern: 'a(b)', secretGroup: 2 }] })).toThrow(
      /secretGroup 2 does not exist; the pattern has 1 group/,
    );
    expect(() => createRedactor({ extraRules: [{ id: 'jwt', pattern: 'x' }] })).toThrow(/"jwt" is used twice/);
  });

  test('a clean row is returned as the same object', () => {
    const clean = row({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
      source_meta: {},
      cwd: '/srv/app',
      project_path: null,
      source_path: 'a.jsonl',
    });
    expect(createRedactor({ homeDir: '/home/dana' }).redactRow(clean)).toBe(clean);
  });

  test('columns and message fields beyond the known ones are scanned too', () => {
    const input = { ...row(), models: [`note ${TOKEN}`] } as NormalizedRollout & { models: string[] };
    input.messages = [{ role: 'user', content: [], extra: { note: TOKEN } } as NormalizedRollout['messages'][number]];
    const out = createRedactor().redactRow(input) as typeof input;
    expect(out.models).toEqual(['note [REDACTED:github-classic-token]']);
    expect((out.messages[0] as unknown as { extra: unknown }).extra).toEqual({ note: '[REDACTED:github-classic-token]' });
    expect(input.models).toEqual([`note ${TOKEN}`]);
  });

  test('tool arguments that are not JSON are redacted as text', () => {
    const input = row({
      messages: [
        {
          role: 'assistant',
          content: [],
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'apply_patch', arguments: `*** Begin Patch\n+TOKEN=${TOKEN}` } }],
        },
      ],
    });
    const out = createRedactor().redactRow(input);
    expect(out.messages[0]?.tool_calls?.[0]?.function.arguments).toBe('*** Begin Patch\n+TOKEN=[REDACTED:github-classic-token]');
  });
});

describe('path anonymization', () => {
  test('home directories of every platform become ~, and the user name is replaced elsewhere in paths', () => {
    const redactor = createRedactor({ homeDir: '/root', userNames: [] });
    expect(redactor.redactText('cd /home/erin/src && ls /Users/erin/Library')).toBe('cd ~/src && ls ~/Library');
    expect(redactor.redactText('C:\\Users\\erin\\AppData and "C:\\\\Users\\\\erin\\\\x"')).toBe('~\\AppData and "~\\\\x"');
    expect(redactor.redactText('/tmp/erin/build and /var/folders/erin')).toBe('/tmp/<user>/build and /var/folders/<user>');
    expect(redactor.redactText('projects/-home-erin-work-app/x.jsonl')).toBe('projects/-home-<user>-work-app/x.jsonl');
    expect(redactor.redactText('projects\\C--Users-erin-work-app\\x.jsonl')).toBe('projects\\C--Users-<user>-work-app\\x.jsonl');
    expect(redactor.redactText('/root/.cache and /rootfs and /srv/root/x')).toBe('~/.cache and /rootfs and /srv/root/x');
  });

  test('URL paths, shared folders and prose are left alone', () => {
    const redactor = createRedactor({ homeDir: '/root', userNames: [] });
    for (const text of ['https://example.org/home/erin/page', '/Users/Shared/file', 'erin wrote this', '/home/$USER/.bashrc']) {
      expect(redactor.redactText(text)).toBe(text);
    }
  });

  test('names given up front are replaced in path positions only', () => {
    const redactor = createRedactor({ homeDir: '/data/homes/frank', userNames: ['frank.li'] });
    expect(redactor.redactText('/data/homes/frank/x')).toBe('~/x');
    expect(redactor.redactText('/opt/frank.li/cache and -Users-frank-li-proj, not frank.li in prose')).toBe(
      '/opt/<user>/cache and -Users-<user>-proj, not frank.li in prose',
    );
  });
});

describe('loadRedactionRules', () => {
  const { write, pathOf } = useTempFiles('redact-rules-');

  test('reads extra rules and disabled ids that createRedactor accepts', async () => {
    const file = await write(
      'ok.json',
      JSON.stringify({ rules: [{ id: 'acme-key', pattern: 'acme_[a-z0-9]{16}', keywords: ['acme_'], flags: 'i' }], disable: ['jwt'] }),
    );
    const options = await loadRedactionRules(file);
    expect(options).toEqual({
      extraRules: [{ id: 'acme-key', pattern: 'acme_[a-z0-9]{16}', keywords: ['acme_'], flags: 'i' }],
      disabledRules: ['jwt'],
    });
    const redactor = createRedactor({ ...options, anonymizePaths: false });
    expect(redactor.redactText('ACME_0123456789ABCDEF eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkYW5hIn0.c2lnbmF0dXJlMTIz')).toBe(
      '[REDACTED:acme-key] eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkYW5hIn0.c2lnbmF0dXJlMTIz',
    );
  });

  test('errors name the file and the bad entry', async () => {
    const missing = pathOf('missing.json');
    await expect(loadRedactionRules(missing)).rejects.toThrow(`${missing}: cannot read the redaction rules file`);
    const notJson = await write('bad.json', '{ rules: [');
    await expect(loadRedactionRules(notJson)).rejects.toThrow(`${notJson}: not valid JSON`);
    const badEntry = await write(
      'entry.json',
      JSON.stringify({
        rules: [
          { id: 'ok-rule', pattern: 'x' },
          { id: 'second', patern: 'y' },
        ],
      }),
    );
    await expect(loadRedactionRules(badEntry)).rejects.toThrow(
      new RegExp(`${badEntry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a valid redaction rules file .*rules\\[1\\]`),
    );
    const badRegex = await write('regex.json', JSON.stringify({ rules: [{ id: 'broken', pattern: '([a-z' }] }));
    await expect(loadRedactionRules(badRegex)).rejects.toThrow(`${badRegex}: rules[0] (rule "broken"): invalid regular expression`);
    const unknown = await write('disable.json', JSON.stringify({ disable: ['jwt', 'githb-token'] }));
    await expect(loadRedactionRules(unknown)).rejects.toThrow(`${unknown}: disable[1]: no redaction rule "githb-token"`);
    const taken = await write('taken.json', JSON.stringify({ rules: [{ id: 'jwt', pattern: 'x' }] }));
    await expect(loadRedactionRules(taken)).rejects.toThrow(`${taken}: rules[0]: rule id "jwt" is already taken`);
  });
});
