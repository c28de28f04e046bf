import type { ReceivedRequest, Reply } from './chat-server.js';

/** Which step a request is for, from the schema name the engine sends. */
export function stepOf(request: ReceivedRequest): string {
  return request.body.response_format?.json_schema?.name ?? 'none';
}

/** The user prompt of a request. */
export function userText(request: ReceivedRequest): string {
  return request.body.messages.find((message) => message.role === 'user')?.content ?? '';
}

const rubricNames = ['groundedness', 'standalone_task', 'response_quality', 'faithfulness', 'training_utility'];

/**
 * A deterministic "model": valid answers for each step. Sessions whose transcript mentions
 * `mean()` get high scores and a high training value (kept); the others score 2 (dropped).
 */
export function goodAnswer(request: ReceivedRequest): Reply {
  const step = stepOf(request);
  const text = userText(request);
  const strong = text.includes('mean()');
  if (step === 'digest') {
    return {
      content: JSON.stringify({
        user_goal: strong ? 'Fix the failing test for mean().' : 'Help with the statkit project.',
        repository_context: 'statkit, a small Python package',
        task_type: strong ? 'bug_fix' : 'other',
        notable_actions: ['ran the tests', 'edited statkit/stats.py'],
        useful_outcome: strong ? 'mean() divides by len(values); tests pass' : 'an answer',
        training_value: strong ? 'high' : 'medium',
        quality_notes: '',
      }),
    };
  }
  if (step === 'sft') {
    return {
      content: JSON.stringify({
        instruction: 'mean() in statkit/stats.py divides by len(values) - 1 and its test fails. Fix it.',
        response: 'Divide by len(values): `return sum(values) / len(values)`.',
        skill_tags: ['python', 'debugging'],
        difficulty: 'easy',
      }),
    };
  }
  if (step === 'judge') {
    const transcript = text.split('## Transcript it was written from')[1] ?? '';
    const score = transcript.includes('mean()') ? 4 : 2;
    return {
      content: JSON.stringify(
        Object.fromEntries(rubricNames.map((name) => [name, { reasoning: 'checked against the transcript', score }])),
      ),
    };
  }
  if (step === 'review') {
    const failed = text.includes('(the tool reported an error)');
    return {
      content: JSON.stringify({
        label: failed ? 'failure' : 'success',
        summary: failed ? 'The call failed; the tool reported an error.' : 'The call returned what the agent asked for.',
        evidence: '',
      }),
    };
  }
  return { status: 400, body: JSON.stringify({ error: { message: `unexpected step ${step}` } }) };
}
