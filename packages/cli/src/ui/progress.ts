import type { ReadProgress } from '@agent-rollout/core';
import { formatBytes, formatDuration } from './format.js';

/** Shows how far a read has come on stderr. */
export interface ProgressReporter {
  update(progress: ReadProgress): void;
  /** Ends the display of one format (the bar's line is finished). */
  done(progress: ReadProgress | undefined): void;
}

export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  quiet: boolean;
  /** Milliseconds between plain lines when stderr is not a terminal. */
  plainIntervalMs?: number;
}

const BAR_WIDTH = 24;
const MIN_BAR_WIDTH = 8;

function describe(progress: ReadProgress, elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? progress.bytesDone / seconds : 0;
  const eta = rate > 0 ? formatDuration((progress.bytesTotal - progress.bytesDone) / rate) : '?';
  return [
    `${progress.filesDone}/${progress.filesTotal} files`,
    `${formatBytes(progress.bytesDone)}/${formatBytes(progress.bytesTotal)}`,
    `${progress.rows} rows`,
    `${formatBytes(Math.round(rate))}/s`,
    `ETA ${eta}`,
  ].join('  ');
}

/** A live bar on a terminal, a plain line now and then elsewhere, nothing when quiet. */
export function createProgress(options: ProgressOptions): ProgressReporter {
  if (options.quiet) return { update() {}, done() {} };
  const { stream } = options;
  let started = 0;
  let lastDraw = 0;
  let last: ReadProgress | undefined;
  const now = (): number => performance.now();

  if (stream.isTTY) {
    const draw = (progress: ReadProgress): void => {
      const share =
        progress.bytesTotal > 0
          ? progress.bytesDone / progress.bytesTotal
          : progress.filesTotal > 0
            ? progress.filesDone / progress.filesTotal
            : 1;
      const info = describe(progress, now() - started);
      const width = stream.columns ?? 120;
      // The bar gives way to the figures on a narrow terminal; the line never wraps.
      const barWidth = Math.max(MIN_BAR_WIDTH, Math.min(BAR_WIDTH, width - 1 - progress.format.length - info.length - 2));
      const filled = Math.round(share * barWidth);
      const line = `${progress.format} ${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)} ${info}`;
      stream.write(`\r${line.slice(0, width - 1)}\x1b[K`);
    };
    return {
      update(progress) {
        if (!last || last.format !== progress.format) started = now();
        last = progress;
        if (now() - lastDraw < 100 && progress.filesDone < progress.filesTotal) return;
        lastDraw = now();
        draw(progress);
      },
      done(progress) {
        if (progress) draw(progress);
        if (last) stream.write('\n');
        last = undefined;
      },
    };
  }

  const interval = options.plainIntervalMs ?? 5000;
  return {
    update(progress) {
      if (!last || last.format !== progress.format) {
        started = now();
        lastDraw = now();
        last = progress;
        stream.write(`${progress.format}: reading ${progress.filesTotal} files (${formatBytes(progress.bytesTotal)})\n`);
        return;
      }
      last = progress;
      if (now() - lastDraw >= interval) {
        lastDraw = now();
        stream.write(`${progress.format}: ${describe(progress, now() - started)}\n`);
      }
    },
    done(progress) {
      if (progress) stream.write(`${progress.format}: done, ${describe(progress, now() - started)}\n`);
      last = undefined;
    },
  };
}

/** The reader callbacks that drive a display: the last figures of each format end its line. */
export function progressCallbacks(progress: ProgressReporter): { onProgress(p: ReadProgress): void; onFormatDone(): void } {
  let last: ReadProgress | undefined;
  return {
    onProgress: (p) => {
      last = p;
      progress.update(p);
    },
    onFormatDone: () => {
      progress.done(last);
      last = undefined;
    },
  };
}
