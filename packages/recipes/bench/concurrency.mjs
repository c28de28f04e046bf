// Benchmark (not a test): how close the engine gets to the ideal time when the model is slow.
// A local server answers every chat completion after 200 ms; 200 rows are distilled (3 calls
// each) at concurrency 16. Ideal: ceil(200 * 3 / 16) rounds of 200 ms. Prints the ratio.
//
//   pnpm --filter @agent-rollout/recipes build && node packages/recipes/bench/concurrency.mjs [rows] [concurrency] [delayMs]
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDistill } from '../dist/index.js';

const ROWS = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const DELAY_MS = Number(process.argv[4] ?? 200);

const score = { reasoning: 'ok', score: 4 };
const answers = {
  digest: {
    user_goal: 'g',
    repository_context: 'r',
    task_type: 'bug_fix',
    notable_actions: ['a'],
    useful_outcome: 'o',
    training_value: 'high',
    quality_notes: '',
  },
  sft: { instruction: 'i', response: 'r', skill_tags: ['t'], difficulty: 'easy' },
  judge: { groundedness: score, standalone_task: score, response_quality: score, faithfulness: score, training_utility: score },
};

let inFlight = 0;
let maxInFlight = 0;
const server = createServer(async (req, res) => {
  if (req.method === 'GET') {
    res.end('{"data":[]}');
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  inFlight += 1;
  maxInFlight = Math.max(maxInFlight, inFlight);
  await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
  inFlight -= 1;
  const content = JSON.stringify(answers[body.response_format?.json_schema?.name] ?? {});
  res.setHeader('content-type', 'application/json');
  res.end(
    JSON.stringify({
      id: 'x',
      object: 'chat.completion',
      created: 0,
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
    }),
  );
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}/v1`;

const rows = Array.from({ length: ROWS }, (_, i) => ({
  trace_id: `bench-${i}`,
  source_kind: 'bench',
  source_path: 'bench.jsonl',
  root_session_id: `bench-${i}`,
  agent_id: null,
  is_sidechain: false,
  cwd: '/work/project',
  project_path: '/work/project',
  git_branch: 'main',
  started_at: null,
  ended_at: null,
  messages: [
    { role: 'user', content: [{ type: 'text', text: `Fix bug number ${i} in parser.py` }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Fixed: the loop was off by one.' }] },
  ],
  source_meta: {},
  message_count: 2,
  tool_call_count: 0,
  final_assistant_message: 'Fixed: the loop was off by one.',
}));

const dir = await mkdtemp(path.join(tmpdir(), 'recipes-bench-'));
const started = performance.now();
const { summary } = await runDistill({
  rows,
  out: path.join(dir, 'out.jsonl'),
  concurrency: CONCURRENCY,
  llm: { baseUrl, env: { NVIDIA_API_KEY: 'bench' } },
  progress: false,
});
const elapsed = performance.now() - started;
server.close();
await rm(dir, { recursive: true, force: true });

const calls = summary.llm.calls;
const ideal = Math.ceil(calls / CONCURRENCY) * DELAY_MS;
console.log(
  JSON.stringify(
    {
      rows: ROWS,
      concurrency: CONCURRENCY,
      delayMs: DELAY_MS,
      calls,
      maxInFlight,
      elapsedMs: Math.round(elapsed),
      idealMs: ideal,
      ratio: Number((elapsed / ideal).toFixed(3)),
    },
    null,
    2,
  ),
);
