/**
 * Collects the unobserved promise rejections and uncaught exceptions that happen while a scope is
 * open, so a driver that rejects a promise nobody awaits fails the case that was running instead
 * of killing the process (and losing the report). Scopes nest: a run opens one for its lifetime,
 * each case one on top; a failure lands in the innermost open scope. The process handlers are
 * installed only while some scope is open, so the kit changes nothing outside its own runs.
 */
export class FailureScope {
  readonly #failures: unknown[] = [];
  #open = true;

  /** Records a failure; returns false once the scope has closed. */
  record(failure: unknown): boolean {
    if (!this.#open) return false;
    this.#failures.push(failure);
    return true;
  }

  /** The failures recorded so far. */
  get failures(): readonly unknown[] {
    return [...this.#failures];
  }

  /** The failures recorded so far, and forgets them. */
  take(): unknown[] {
    return this.#failures.splice(0);
  }

  /** Stops collecting; later failures go to the scope below. Returns what was left. */
  close(): unknown[] {
    this.#open = false;
    const index = scopes.lastIndexOf(this);
    if (index !== -1) scopes.splice(index, 1);
    if (scopes.length === 0) uninstall();
    return this.take();
  }
}

const scopes: FailureScope[] = [];
let installed = false;

function onFailure(failure: unknown): void {
  const scope = scopes.at(-1);
  // Only reachable while installed, so there is always a scope; keep the process alive either way.
  scope?.record(failure);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', onFailure);
  process.on('uncaughtException', onFailure);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('unhandledRejection', onFailure);
  process.off('uncaughtException', onFailure);
}

/** Opens a scope on top of the open ones. Close it with `scope.close()`. */
export function openFailureScope(): FailureScope {
  const scope = new FailureScope();
  scopes.push(scope);
  install();
  return scope;
}

/**
 * Lets the process report rejections that are already unobserved: Node emits `unhandledRejection`
 * after the microtask queue drains, so one macrotask later every rejection of the work just
 * finished has been seen.
 */
export function flushUnobserved(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The error a case fails with when unobserved failures were recorded while it ran. */
export function unobservedFailure(failures: readonly unknown[], during: string): Error {
  const first = failures[0];
  const detail = first instanceof Error ? `${first.name}: ${first.message}` : String(first);
  return new Error(
    `${failures.length} unobserved rejection(s) or uncaught exception(s) ${during}; the first: ${detail}`,
    { cause: failures.length === 1 ? first : new AggregateError(failures) },
  );
}
