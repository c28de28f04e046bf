/** A file that could not be parsed, or the first problem of a strict read. */
export interface RunFailure {
  /** Path relative to the root (or the directory, for an unreadable directory). */
  path: string;
  /** 1-based line, when one line is to blame. */
  line?: number;
  /** What was expected and what was found. */
  reason: string;
}

/** Something odd in a file whose good data was kept: a bad line, an unknown record, a broken link. */
export interface RunWarning {
  /** Path relative to the root (`.` for a warning about the whole read). */
  path: string;
  /** 1-based line, when one line is to blame. */
  line?: number;
  message: string;
}

/** A handled file that holds no session by design, with why. */
export interface RunSkip {
  /** Path relative to the root. */
  path: string;
  /** Why the file holds no session, as the handler said. */
  reason: string;
}

/**
 * The account of one read, JSON-serializable. Every matched file is in exactly one bucket:
 * `matched = unhandled + handled` and `handled = notSelected + parsed + skipped + failed`.
 */
export interface RunReport {
  /** The format id that was read. */
  format: string;
  /** The absolute root directory that was read. */
  root: string;
  /** How many files ended in each bucket. */
  files: {
    /** Files the file pattern matched under the root. */
    matched: number;
    /** Matched files the handler reads. */
    handled: number;
    /** Matched files the handler does not read. */
    unhandled: number;
    /** Handled files left out by partition or limit. */
    notSelected: number;
    /** Files that gave rows. */
    parsed: number;
    /** Files that hold no session by design (see `skipped`). */
    skipped: number;
    /** Files that could not be parsed (see `failures`). */
    failed: number;
  };
  /** Bytes of the selected files, and of the files that gave rows. */
  bytes: { selected: number; parsed: number };
  /** Rows produced. */
  rows: number;
  /** Every file (or directory) that failed, with why. */
  failures: RunFailure[];
  /** Every skipped file, with why. */
  skipped: RunSkip[];
  /** Problems in files whose good data was kept (at most 20 per file, then a count). */
  warnings: RunWarning[];
  /** Paths of unhandled files that the handler thought worth a warning. */
  unhandledFiles: string[];
  /** Replacements made by redaction, by rule id. Never holds a secret value. */
  redactions: Record<string, number>;
  /** Whether the read ran to its end (false when stopped by strict mode or an abort). */
  completed: boolean;
  /** Wall-clock time of the read, in milliseconds. */
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
