import { defineProject } from 'vitest/config';

export default defineProject({
  // Tests run against the TypeScript sources of the workspace packages, no build needed.
  resolve: { conditions: ['@agent-rollout/source', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@agent-rollout/source', 'node', 'import', 'default'] } },
  test: {
    name: 'format-atif',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
