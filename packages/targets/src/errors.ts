/**
 * Errors thrown by `@wasm-components/targets`.
 *
 * Guards check the shape of an error rather than `instanceof`, because two
 * copies of this package may be installed side by side.
 *
 * @module
 */

/** Stable `name` of {@link TargetError}. */
export const TARGET_ERROR_NAME = 'WasmTargetError' as const;

/**
 * Why a target could not be found.
 *
 * - `unknown-target`: no triple or alias of that name.
 * - `no-definition`: the triple exists, but the registry does not describe it for the requested rustc version.
 * - `bad-version`: the requested rustc version is not a version.
 */
export const TargetErrorCode = {
  UnknownTarget: 'unknown-target',
  NoDefinition: 'no-definition',
  BadVersion: 'bad-version',
} as const;
/** One of the values of {@link TargetErrorCode}. */
export type TargetErrorCode = (typeof TargetErrorCode)[keyof typeof TargetErrorCode];

/** A target name or rustc version did not resolve; the message says what was asked for and what exists. */
export class TargetError extends Error {
  override readonly name: typeof TARGET_ERROR_NAME = TARGET_ERROR_NAME;
  /** Stable code, see {@link TargetErrorCode}. */
  readonly code: TargetErrorCode;
  /** The name that was asked for. */
  readonly target: string;

  constructor(code: TargetErrorCode, target: string, message: string) {
    super(message);
    this.code = code;
    this.target = target;
  }
}

/** Whether `e` is a {@link TargetError} (from any copy of this package). */
export function isTargetError(e: unknown): e is TargetError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === TARGET_ERROR_NAME &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { target?: unknown }).target === 'string'
  );
}
