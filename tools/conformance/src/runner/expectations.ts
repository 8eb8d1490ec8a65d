/**
 * The checked-in list of known failures of the `.wast` run
 * (`expectations/wast.json`), how a file's outcomes are judged against it,
 * and how it is regenerated.
 *
 * Format (kept small by grouping):
 *
 * ```json
 * {
 *   "files": [{ "file": "async/x.wast", "reason": "..." }],
 *   "directives": [{ "reason": "...", "cause": "accepted-invalid", "lines": { "validation/a.wast": [12, 40] } }]
 * }
 * ```
 *
 * A `files` entry accepts every failing directive of the file (and needs at
 * least one: a file that fully passes must be taken off the list). A
 * `directives` group lists single directives by the 1-based line where they
 * start; each listed one must fail, with `cause` when given (so a change in
 * how it fails is noticed). Every other failure fails the run.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type DirectiveOutcome, FAILURE_CAUSES, type FailureCause } from './execute.js';

/** A whole file expected to fail (some or all of its directives). */
export interface FileExpectation {
  readonly file: string;
  readonly reason: string;
}

/** Directives expected to fail for one reason: file -> lines. */
export interface DirectiveGroup {
  readonly reason: string;
  readonly cause?: FailureCause;
  readonly lines: Readonly<Record<string, readonly number[]>>;
}

/** The content of `expectations/wast.json`. */
export interface WastExpectations {
  readonly files: readonly FileExpectation[];
  readonly directives: readonly DirectiveGroup[];
}

/** An empty list. */
export const NO_EXPECTATIONS: WastExpectations = { files: [], directives: [] };

/** Read and check the shape of an expectations file. */
export function parseExpectations(text: string): WastExpectations {
  const j = JSON.parse(text) as Partial<WastExpectations>;
  const files = j.files ?? [];
  const directives = j.directives ?? [];
  for (const f of files) {
    if (typeof f.file !== 'string' || typeof f.reason !== 'string' || f.reason === '') throw new Error(`bad files entry ${JSON.stringify(f)}`);
  }
  for (const g of directives) {
    if (typeof g.reason !== 'string' || g.reason === '' || typeof g.lines !== 'object') throw new Error(`bad directives group ${JSON.stringify(g)}`);
    if (g.cause !== undefined && !(FAILURE_CAUSES as readonly string[]).includes(g.cause)) throw new Error(`unknown cause ${g.cause}`);
  }
  return { files, directives };
}

/** Load `path` (an absent file is an empty list). */
export function loadExpectations(path: string): WastExpectations {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return NO_EXPECTATIONS;
  }
  return parseExpectations(text);
}

/** Where one listed directive came from. */
interface Listed {
  readonly reason: string;
  readonly cause?: FailureCause;
}

/** The expectations indexed for lookups. */
export class ExpectationIndex {
  readonly files = new Map<string, FileExpectation>();
  readonly lines = new Map<string, Map<number, Listed>>();

  constructor(readonly source: WastExpectations) {
    for (const f of source.files) this.files.set(f.file, f);
    for (const g of source.directives) {
      for (const [file, ls] of Object.entries(g.lines)) {
        let m = this.lines.get(file);
        if (m === undefined) this.lines.set(file, (m = new Map()));
        for (const l of ls) m.set(l, g.cause === undefined ? { reason: g.reason } : { reason: g.reason, cause: g.cause });
      }
    }
  }

  /** Files named anywhere in the list. */
  namedFiles(): Set<string> {
    return new Set([...this.files.keys(), ...this.lines.keys()]);
  }
}

/** How one file did against the list. */
export interface FileVerdict {
  readonly file: string;
  readonly passed: number;
  /** Failures not in the list. */
  readonly failed: number;
  /** Failures the list accepts. */
  readonly expected: number;
  /** What makes the run fail: unexpected failures, listed directives that passed, cause changes, stale entries. */
  readonly problems: readonly string[];
}

/** Judge a file's outcomes against the list. */
export function judgeFile(file: string, outcomes: readonly DirectiveOutcome[], index: ExpectationIndex): FileVerdict {
  const problems: string[] = [];
  let passed = 0;
  let failed = 0;
  let expected = 0;
  const fileEntry = index.files.get(file);
  const listed = index.lines.get(file) ?? new Map<number, Listed>();
  const seenLines = new Set<number>();
  for (const o of outcomes) {
    seenLines.add(o.line);
    const l = listed.get(o.line);
    if (o.ok) {
      passed++;
      if (l !== undefined && fileEntry === undefined) problems.push(`line ${o.line} (${o.kind}) is listed (${l.reason}) but passed: remove it`);
      continue;
    }
    if (fileEntry !== undefined) {
      expected++;
      continue;
    }
    if (l === undefined) {
      failed++;
      problems.push(`line ${o.line} (${o.kind}) failed: ${o.cause}: ${o.detail ?? ''}`);
    } else if (l.cause !== undefined && l.cause !== o.cause) {
      failed++;
      problems.push(`line ${o.line} (${o.kind}) is listed with cause ${l.cause} (${l.reason}) but failed with ${o.cause}: ${o.detail ?? ''}`);
    } else {
      expected++;
    }
  }
  if (fileEntry !== undefined && expected === 0) problems.push(`the file is listed (${fileEntry.reason}) but no directive failed: remove it`);
  for (const line of listed.keys()) if (!seenLines.has(line)) problems.push(`line ${line} is listed but no directive starts there: remove it`);
  return { file, passed, failed, expected, problems };
}

/** Entries that name files which were not run. */
export function staleFiles(index: ExpectationIndex, ran: ReadonlySet<string>): string[] {
  return [...index.namedFiles()].filter((f) => !ran.has(f)).sort();
}

/**
 * The reason a new failure gets when the list is regenerated: the cause in
 * words and the grouping hint (the error's reason with numbers and names
 * blanked), so one root cause is one group.
 */
export function deriveReason(o: DirectiveOutcome): string {
  const hint = o.hint ?? '';
  switch (o.cause) {
    case 'accepted-invalid':
      return `validator does not reject: ${hint.replace(/^accepted (invalid|malformed): /, '')}`;
    case 'rejected-valid':
      return `rejects a valid component: ${hint}`;
    case 'wrong-message':
      return /not (yet )?(supported|implemented)/.test(hint)
        ? `runtime: not implemented, so the suite's trap is not reached: ${hint}`
        : `trap wording differs from the suite's: ${hint}`;
    case 'no-instance':
      return `no instance to act on: ${hint}`;
    case 'link-error':
      return `runtime: unexpected link error: ${hint}`;
    case 'crash':
      return `runtime: ${hint}`;
    case undefined:
      return hint;
    default:
      return `${o.cause}: ${hint}`;
  }
}

/** Options of {@link regenerate}. */
export interface RegenerateOptions {
  /** Folder prefix (`async/`) -> reason: failing files there are listed whole, with this reason. */
  readonly wholeFileFolders?: Readonly<Record<string, string>>;
  /** Derive every directive reason anew instead of keeping the old list's (file entries are kept). Default false. */
  readonly freshReasons?: boolean;
}

/**
 * A new list that accepts exactly the current failures. Hand-written reasons
 * are kept where they still apply (same file entry; same line and cause);
 * new failures get {@link deriveReason}. Groups are sorted by size.
 */
export function regenerate(
  old: WastExpectations,
  results: ReadonlyMap<string, readonly DirectiveOutcome[]>,
  options: RegenerateOptions = {},
): WastExpectations {
  const index = new ExpectationIndex(old);
  const files: FileExpectation[] = [];
  const groups = new Map<string, { reason: string; cause: FailureCause; lines: Map<string, number[]> }>();
  for (const [file, outcomes] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
    const failures = outcomes.filter((o) => !o.ok);
    if (failures.length === 0) continue;
    const folderReason = Object.entries(options.wholeFileFolders ?? {}).find(([prefix]) => file.startsWith(prefix))?.[1];
    const fileEntry = index.files.get(file);
    if (folderReason !== undefined || fileEntry !== undefined) {
      files.push({ file, reason: fileEntry?.reason ?? folderReason! });
      continue;
    }
    const listed = index.lines.get(file);
    for (const o of failures) {
      const cause = o.cause!;
      const prev = options.freshReasons === true ? undefined : listed?.get(o.line);
      const reason = prev !== undefined && (prev.cause === undefined || prev.cause === cause) ? prev.reason : deriveReason(o);
      const key = `${cause}\u0000${reason}`;
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { reason, cause, lines: new Map() }));
      let ls = g.lines.get(file);
      if (ls === undefined) g.lines.set(file, (ls = []));
      if (!ls.includes(o.line)) ls.push(o.line);
    }
  }
  const count = (g: { lines: Map<string, number[]> }): number => [...g.lines.values()].reduce((n, l) => n + l.length, 0);
  const directives = [...groups.values()]
    .sort((a, b) => count(b) - count(a) || a.reason.localeCompare(b.reason))
    .map((g) => ({ reason: g.reason, cause: g.cause, lines: Object.fromEntries([...g.lines].map(([f, l]) => [f, l.sort((x, y) => x - y)])) }));
  return { files, directives };
}

/**
 * JSON text of a list, one group per few lines (line arrays kept on one line)
 * so diffs stay readable.
 */
export function formatExpectations(e: WastExpectations): string {
  const out: string[] = ['{', '  "files": ['];
  e.files.forEach((f, i) => out.push(`    ${JSON.stringify(f)}${i < e.files.length - 1 ? ',' : ''}`));
  out.push('  ],', '  "directives": [');
  e.directives.forEach((g, i) => {
    out.push('    {', `      "reason": ${JSON.stringify(g.reason)},`);
    if (g.cause !== undefined) out.push(`      "cause": ${JSON.stringify(g.cause)},`);
    const entries = Object.entries(g.lines);
    out.push('      "lines": {');
    entries.forEach(([f, ls], j) => out.push(`        ${JSON.stringify(f)}: ${JSON.stringify(ls)}${j < entries.length - 1 ? ',' : ''}`));
    out.push('      }', `    }${i < e.directives.length - 1 ? ',' : ''}`);
  });
  out.push('  ]', '}', '');
  return out.join('\n');
}

/** Write a list to `path`. */
export function writeExpectations(path: string, e: WastExpectations): void {
  writeFileSync(path, formatExpectations(e));
}
