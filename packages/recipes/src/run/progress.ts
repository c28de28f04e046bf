import type { LlmStats } from '../llm/runner.js';

export interface ProgressState {
  done: number;
  failed: number;
  resumed: number;
  /** Rows expected in total, when known or estimated. */
  total: number | undefined;
  llm: LlmStats;
}

export interface ProgressOptions {
  /** Usually process.stderr. */
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  quiet?: boolean;
  /** How often a line is drawn: default 200 ms on a terminal, 10 s otherwise. */
  intervalMs?: number;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * Rows done and failed, tokens used and an ETA on stderr: redrawn in place on a terminal,
 * a plain line every few seconds otherwise, nothing when quiet.
 */
export class ProgressReporter {
  private readonly started = Date.now();
  private last = 0;
  private readonly tty: boolean;
  private readonly interval: number;
  private drawn = false;
  private lastText = '';

  constructor(private readonly options: ProgressOptions) {
    this.tty = options.stream.isTTY === true;
    this.interval = options.intervalMs ?? (this.tty ? 200 : 10_000);
  }

  line(state: ProgressState): string {
    const processed = state.done + state.failed;
    const elapsed = Date.now() - this.started;
    let of = '';
    let eta = '';
    if (state.total !== undefined) {
      const remaining = Math.max(0, state.total - state.resumed - processed);
      of = ` of ${state.total - state.resumed}`;
      if (processed > 0) eta = `, ETA ${formatDuration((elapsed / processed) * remaining)}`;
    }
    const tokens = state.llm.inputTokens + state.llm.outputTokens;
    return `rows ${processed}${of} (${state.failed} failed${state.resumed ? `, ${state.resumed} resumed` : ''}), ${state.llm.calls} calls, ${tokens} tokens${eta}`;
  }

  update(state: ProgressState, force = false): void {
    if (this.options.quiet) return;
    const now = Date.now();
    if (!force && now - this.last < this.interval) return;
    this.last = now;
    const text = this.line(state);
    // Without a terminal every line stays on screen: never print the same one twice.
    if (!this.tty && text === this.lastText) return;
    this.lastText = text;
    if (this.tty) {
      this.options.stream.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else {
      this.options.stream.write(`${text}\n`);
    }
  }

  /** Ends the in-place line so the summary starts on a fresh one. */
  finish(state: ProgressState): void {
    if (this.options.quiet) return;
    this.update(state, true);
    if (this.tty && this.drawn) this.options.stream.write('\n');
  }
}
