/** What the parent passes the exit probe's child (JSON in `argv[2]`). */
export interface ExitProbeStartup {
  /** The adapter module's URL or absolute path (`AdapterUnderTest.worker.module`). */
  readonly module: string;
  /** The export holding the `AdapterUnderTest`. */
  readonly export: string;
  /** The URL the adapter connects to. */
  readonly url: string;
  /** The key prefix of the child's service. */
  readonly prefix: string;
  /** The fault to inject (a broken driver's `fault`), in the self-check. */
  readonly fault?: string;
}

/** The line the child prints once it closed everything. */
export const CLOSED_LINE = 'exit-probe: closed';
