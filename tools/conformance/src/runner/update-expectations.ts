/**
 * Regenerates `expectations/wast.json` from a run's outcomes. Used by
 * `test/wast-run.test.ts` when `UPDATE_EXPECTATIONS=1` is set:
 *
 * ```sh
 * UPDATE_EXPECTATIONS=1 npx vitest run --project conformance test/wast-run.test.ts
 * ```
 *
 * Hand-written reasons survive a regeneration where they still apply (see
 * `regenerate`); `UPDATE_EXPECTATIONS=fresh` derives every directive reason
 * anew (whole-file entries keep theirs). Review the diff before committing it: the list must stay
 * honest (each reason says why, and no failure is listed that should be fixed now).
 *
 * @module
 */
import type { DirectiveOutcome } from './execute.js';
import { type WastExpectations, loadExpectations, regenerate, writeExpectations } from './expectations.js';
import { EXPECTATIONS_PATH, WHOLE_FILE_FOLDERS } from './suite.js';

/** True when the run should rewrite the expectations instead of checking them. */
export function updateRequested(): boolean {
  const v = process.env['UPDATE_EXPECTATIONS'];
  return v !== undefined && v !== '' && v !== '0';
}

/** Rewrite the expectations file (default: the checked-in one) to accept exactly `results`' failures. */
export function updateExpectations(
  results: ReadonlyMap<string, readonly DirectiveOutcome[]>,
  path: string = EXPECTATIONS_PATH,
): WastExpectations {
  const freshReasons = process.env['UPDATE_EXPECTATIONS'] === 'fresh';
  const next = regenerate(loadExpectations(path), results, { wholeFileFolders: WHOLE_FILE_FOLDERS, freshReasons });
  writeExpectations(path, next);
  return next;
}
