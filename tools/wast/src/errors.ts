/**
 * Errors thrown by the `.wast` parser.
 *
 * A script that does not tokenize or whose directives do not have the shape
 * the spec interpreter expects is a {@link WastSyntaxError} carrying the byte
 * offset, line and column, so a failing suite file can be fixed by looking at
 * one place. The guard checks the shape, not `instanceof`, like the binary
 * package's guards.
 *
 * @module
 */

/** Stable `name` of {@link WastSyntaxError}. */
export const WAST_SYNTAX_ERROR_NAME = 'WastSyntaxError' as const;

/** A position in a script: byte offset into the JS string, 1-based line and column. */
export interface Position {
  /** Offset (UTF-16 code units) into the script text. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (UTF-16 code units). */
  readonly column: number;
}

/**
 * The 1-based line and column of `offset` in `text`, for error messages and
 * test names that point a reader at the right spot of a suite file.
 */
export function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/**
 * A `.wast` script could not be parsed: the message says where (line:column)
 * and what was expected.
 */
export class WastSyntaxError extends Error {
  override readonly name: typeof WAST_SYNTAX_ERROR_NAME = WAST_SYNTAX_ERROR_NAME;
  /** Where the problem was found. */
  readonly position: Position;

  constructor(message: string, position: Position) {
    super(`${position.line}:${position.column}: ${message}`);
    this.position = position;
  }
}

/** True if `e` is a {@link WastSyntaxError} (from any copy of this package). */
export function isWastSyntaxError(e: unknown): e is WastSyntaxError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === WAST_SYNTAX_ERROR_NAME &&
    typeof (e as { position?: unknown }).position === 'object'
  );
}
