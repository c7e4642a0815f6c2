/** The CLI's help text. */
export const USAGE = `Usage:
  redis-service-conformance <adapter-module> [options]
      Runs the conformance kit against the AdapterUnderTest the module exports, prints the
      group matrix and the conformance level, and exits non-zero when a case fails.
  redis-service-conformance cleanup (--run <prefix> | --older-than <age>) [--url <redis-url>]
      Deletes keys the kit wrote: one run's (its prefix, rsk:...:) or every run older than <age>
      (90s, 15m, 2h, 1d). Only keys under rsk: are touched; never FLUSHDB.

Options of a run:
  --export <name>     the export holding the AdapterUnderTest (default: the default export)
  --url <redis-url>   run the integration tier against this server instead of a private
                      redis-server (default: REDIS_URL when set). Only the run's own keys are
                      written; each carries an expiry and the run deletes them at the end.
  --tier <tiers>      unit, integration or unit,integration (default: both)
  --case <prefix>     run only cases whose id starts with <prefix> (repeatable); a partial run
                      earns no conformance level
  --no-self-check     skip the broken-driver self-check (a partial run)
  --json <file>       also write the report as JSON
  --quiet             no progress dots

Options of cleanup:
  --url <redis-url>   the server (default: REDIS_URL)
  --adapter <module>  reach the server through this adapter module instead (e.g. a REST one),
                      with --export as above
  --run <prefix>      the run prefix to delete, as a report or the run printed it
  --older-than <age>  delete every kit run that started longer ago than this

Exit codes: 0 every case passed, 1 a case failed, 2 bad usage or an adapter that cannot be loaded.
`;
