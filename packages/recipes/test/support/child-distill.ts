// Runs the distillation over the fixture sessions, as a separate process the resume test can kill.
// Usage: node --conditions=@agent-rollout/source --import ./ts-loader.mjs child-distill.ts <baseUrl> <out>
import { runDistill } from '../../src/recipes/distill.js';
import { fixtureRegistry, fixtureSource } from './fixtures.js';

const [baseUrl, out] = process.argv.slice(2);
if (!baseUrl || !out) throw new Error('usage: child-distill.ts <baseUrl> <out>');
const { summary } = await runDistill({
  sources: [fixtureSource],
  registry: fixtureRegistry(),
  out,
  concurrency: 2,
  llm: { baseUrl, env: { NVIDIA_API_KEY: 'k' } },
  progress: false,
});
process.stdout.write(`${JSON.stringify(summary)}\n`);
