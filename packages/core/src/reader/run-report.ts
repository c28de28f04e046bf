/** A file that could not be parsed, or the first problem of a strict read. */
export interface RunFailure {
  /** Path relative to the root (or the directory, for an unreadable directory). */
  path: string;
  /** 1-based line, when one line is to blame. */
  line?: number;
  reason: string;
}

export interface RunWarning {
  path: string;
  line?: number;
  message: string;
}

/** A handled file that holds no session by design, with why. */
export interface RunSkip {
  path: string;
  reason: string;
}

/**
 * The account of one read, JSON-serializable. Every matched file is in exactly one bucket:
 * `matched = unhandled + handled` and `handled = notSelected + parsed + skipped + failed`.
 */
export interface RunReport {
  format: string;
  root: string;
  files: {
    matched: number;
    handled: number;
    unhandled: number;
    /** Handled files left out by partition or limit. */
    notSelected: number;
    parsed: number;
    skipped: number;
    failed: number;
  };
  bytes: { selected: number; parsed: number };
  rows: number;
  failures: RunFailure[];
  skipped: RunSkip[];
  warnings: RunWarning[];
  /** Paths of unhandled files that the handler thought worth a warning. */
  unhandledFiles: string[];
  /** Replacements made by redaction, by rule id. Never holds a secret value. */
  redactions: Record<string, number>;
  /** Whether the read ran to its end (false when stopped by strict mode or an abort). */
  completed: boolean;
  durationMs: number;
}

/** An empty report for a read that is about to start. */
export function createRunReport(format: string, root: string): RunReport {
  return {
    format,
    root,
    files: { matched: 0, handled: 0, unhandled: 0, notSelected: 0, parsed: 0, skipped: 0, failed: 0 },
    bytes: { selected: 0, parsed: 0 },
    rows: 0,
    failures: [],
    skipped: [],
    warnings: [],
    unhandledFiles: [],
    redactions: {},
    completed: false,
    durationMs: 0,
  };
}
