/** What a command needs from the process; tests can pass their own. */
export interface CliContext {
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Aborted on SIGINT. */
  signal: AbortSignal;
  version: string;
}
