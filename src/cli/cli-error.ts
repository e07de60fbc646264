/** An error the CLI reports as one line with a defined exit code (image, description, file errors). */

export class CliError extends Error {
  constructor(
    message: string,
    /** Process exit code (see EXIT_CODES). */
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
