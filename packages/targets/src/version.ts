/**
 * rustc version strings and ranges. Only what the registry needs: parse
 * `major.minor.patch` (ignoring a pre-release or build suffix) and test a
 * half-open range.
 *
 * @module
 */
import type { RustcRange } from './types.js';

/** A parsed rustc version. */
export interface RustcVersion {
  /** Major (always 1 so far). */
  readonly major: number;
  /** Minor: the release train (1.95, 1.100...). */
  readonly minor: number;
  /** Patch. */
  readonly patch: number;
}

/**
 * Parse `1.95.0`, `1.97.0-nightly`, `1.95` or the `release:` line of
 * `rustc -vV`. A pre-release suffix is dropped: a nightly is treated as the
 * release it becomes, because its target facts are those of that train.
 *
 * @returns the version, or `undefined` when the text is not a version
 */
export function parseRustcVersion(text: string): RustcVersion | undefined {
  const m = /^\s*(?:release:\s*)?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][\w.-]*)?\s*$/.exec(text);
  if (m === null) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]) };
}

/** Compare two versions: negative, zero or positive like a sort comparator. */
export function compareRustcVersions(a: RustcVersion, b: RustcVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

function mustParse(text: string): RustcVersion {
  const v = parseRustcVersion(text);
  if (v === undefined) throw new TypeError(`expected a rustc version like 1.95.0, found ${JSON.stringify(text)}`);
  return v;
}

/**
 * Whether `version` lies in `range` (`since` inclusive, `until` exclusive).
 *
 * @throws TypeError when `version` or a bound is not a version
 */
export function inRustcRange(version: string, range: RustcRange): boolean {
  const v = mustParse(version);
  if (compareRustcVersions(v, mustParse(range.since)) < 0) return false;
  return range.until === undefined || compareRustcVersions(v, mustParse(range.until)) < 0;
}

/** Format a range for people: `1.95.0 ≤ rustc < 1.97.0`, or `rustc ≥ 1.100.0`. */
export function formatRustcRange(range: RustcRange): string {
  return range.until === undefined ? `rustc >= ${range.since}` : `${range.since} <= rustc < ${range.until}`;
}
