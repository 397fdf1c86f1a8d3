/** Where in a spec file something is, 1-based. */
export interface SpecLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** One problem in the specs, reported as `file:line:col: message` with an optional hint. */
export class SpecError extends Error {
  readonly location: SpecLocation;
  readonly hint: string | undefined;

  constructor(location: SpecLocation, message: string, hint?: string) {
    super(message);
    this.name = "SpecError";
    this.location = location;
    this.hint = hint;
  }

  /** The one-line (plus hint) form the CLI prints and tests compare. */
  format(): string {
    const { file, line, col } = this.location;
    const head = `${file}:${line}:${col}: ${this.message}`;
    return this.hint ? `${head}\n  hint: ${this.hint}` : head;
  }
}

/** Every problem found in one pass; generation stops when this is thrown. */
export class SpecErrors extends Error {
  readonly errors: readonly SpecError[];

  constructor(errors: readonly SpecError[]) {
    super(errors.map((error) => error.format()).join("\n"));
    this.name = "SpecErrors";
    this.errors = errors;
  }
}

/** Collects errors while a pass goes on, so one run reports them all. */
export class ErrorSink {
  readonly errors: SpecError[] = [];

  add(location: SpecLocation, message: string, hint?: string): void {
    this.errors.push(new SpecError(location, message, hint));
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw new SpecErrors(this.errors);
  }
}
