/** Error thrown for any input that sr-draw/v1 rejects; `path` names the offending field or row. */
export class DrawInputError extends Error {
  /** JSON-path-like location of the bad input, e.g. `frame[12][0]` or `commitment.team.size`. */
  readonly path: string;

  /** Creates an error whose message starts with the path it concerns. */
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'DrawInputError';
    this.path = path;
  }
}
