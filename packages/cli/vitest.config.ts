import { defineProject } from 'vitest/config';

export default defineProject({
  // Tests run against the TypeScript sources of the workspace packages, no build needed;
  // the end-to-end tests spawn the built binary, which the global setup builds when needed.
  resolve: { conditions: ['@agent-rollout/source', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@agent-rollout/source', 'node', 'import', 'default'] } },
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
  },
});
