// What tools return, sized like real sessions: mostly short, some long, a few huge.

/** A tool output length in characters; `huge` sessions lean short so they hold many lines. */
export function outputLength(random, huge) {
  const r = random.next();
  if (huge) {
    if (r < 0.85) return random.int(20, 1500);
    if (r < 0.99) return random.int(1500, 10_000);
    return random.int(10_000, 100_000);
  }
  if (r < 0.7) return random.int(5, 2000);
  if (r < 0.93) return random.int(2000, 30_000);
  if (r < 0.995) return random.int(30_000, 200_000);
  return random.int(200_000, 1_000_000);
}

const COMMANDS = [
  'npm test',
  'ls -la',
  'git status --short',
  'grep -rn "TODO" src',
  'python3 -m pytest -q',
  'cat package.json',
  'find . -name "*.ts" | head -50',
  'git diff --stat',
  'pnpm build',
  'node scripts/check.mjs',
];

const FILES = ['src/index.ts', 'src/server.ts', 'src/config/settings.ts', 'lib/parse.py', 'README.md', 'tests/test_api.py', 'package.json'];

/** One tool call: a name, its input object, and its output text. */
export function toolCall(random, pool, cwd, huge) {
  const length = outputLength(random, huge);
  const kind = random.next();
  if (kind < 0.45) {
    const command = random.pick(COMMANDS);
    const failed = random.chance(0.08);
    return { name: 'Bash', input: { command, description: 'Run a command' }, output: pool.prose(random, length), failed, command };
  }
  if (kind < 0.75) {
    const file = `${cwd}/${random.pick(FILES)}`;
    return { name: 'Read', input: { file_path: file }, output: pool.code(random, length), failed: random.chance(0.03), file };
  }
  if (kind < 0.85) {
    const file = `${cwd}/${random.pick(FILES)}`;
    const oldString = pool.prose(random, random.int(20, 400));
    const newString = pool.prose(random, random.int(20, 400));
    return {
      name: 'Edit',
      input: { file_path: file, old_string: oldString, new_string: newString, replace_all: false },
      output: `The file ${file} has been updated successfully.`,
      failed: false,
      file,
    };
  }
  if (kind < 0.95) {
    const pattern = random.pick(['TODO', 'export function', 'def ', 'import', 'FIXME']);
    return {
      name: 'Grep',
      input: { pattern, path: cwd, output_mode: 'content' },
      output: pool.code(random, Math.min(length, 20_000)),
      failed: false,
    };
  }
  return { name: 'Glob', input: { pattern: '**/*.ts', path: cwd }, output: pool.prose(random, Math.min(length, 5000)), failed: false };
}
