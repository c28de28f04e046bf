import { defineProject } from 'vitest/config';

export default defineProject({
  // Tests run against the TypeScript sources of the workspace packages, no build needed.
  resolve: { conditions: ['@agent-rollout/source', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@agent-rollout/source', 'node', 'import', 'default'] } },
  test: {
    name: 'core',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // The fixture third-party packages import @agent-rollout/core; run them through Vite so
    // that import reaches core's TypeScript sources, as the tests do.
    server: { deps: { inline: [/agent-rollout-format-/] } },
  },
});
