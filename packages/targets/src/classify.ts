/**
 * Which targets does a binary fit, and why not the others?
 *
 * {@link classifyFacts} compares the {@link ArtifactFacts} of one binary with
 * every registry definition and gives, per target, a verdict with readable
 * reasons. The rules, in order:
 *
 * 1. the artifact kind (a core module where a component is required stops here);
 * 2. every WASI import must be in the target's WASI worlds, and imports
 *    outside WASI must be allowed by the target;
 * 3. a `wasi:cli/run` export must be the target's command export (version,
 *    sync/async), and the exports the target requires must be there
 *    (`memory` for WASI preview 1, `wasi_thread_start` for wasi-threads);
 * 4. every host feature the binary needs (async built-ins, stackful lifts,
 *    threading built-ins) must be one the target's binaries may need;
 * 5. wasm features the target does not enable are errors for a fixed-feature
 *    target (`wasm32v1-none`) and for `atomics`, and notes otherwise (they can
 *    be enabled with `-C target-feature`);
 * 6. `wasm32-wasip1-threads` binaries import a shared memory; others must not use one.
 *
 * A binary often fits several targets (a component that imports nothing fits
 * every component target). `best` is the fitting target with the most
 * positive evidence (WASI imports it matched, its command export, its
 * specific host features), ties going to the earlier target in display order.
 *
 * @module
 */
import type { ArtifactFacts, FeatureUse, HostFeatureUse, ImportFact } from './facts.js';
import { getTarget, listTargets, type LookupOptions } from './lookup.js';
import type { HostFeature, TargetDefinition } from './types.js';

/**
 * Why a binary does (not) fit a target, as a stable code.
 *
 * - `artifact-kind`: core module vs component.
 * - `wasi-import`: a WASI import outside the target's worlds.
 * - `foreign-import`: an import outside WASI where the target allows none.
 * - `command-export`: a `wasi:cli/run` export of the wrong version or kind.
 * - `missing-export`: an export the target requires is absent.
 * - `host-feature`: a host feature (async built-ins...) the target's binaries never need.
 * - `wasm-feature`: a wasm feature the target does not enable (by default).
 * - `memory`: shared memory where none is allowed, or missing where one is required.
 */
export const ReasonCode = {
  ArtifactKind: 'artifact-kind',
  WasiImport: 'wasi-import',
  ForeignImport: 'foreign-import',
  CommandExport: 'command-export',
  MissingExport: 'missing-export',
  HostFeature: 'host-feature',
  WasmFeature: 'wasm-feature',
  Memory: 'memory',
} as const;
/** One of the values of {@link ReasonCode}. */
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

/** One reason in a verdict. `error` reasons make the binary not fit; `note`s are advice. */
export interface Reason {
  /** Stable code. */
  readonly code: ReasonCode;
  /** `error`: does not fit; `note`: fits, but read this. */
  readonly severity: 'error' | 'note';
  /** A sentence for people. */
  readonly message: string;
}

/** The verdict for one target. */
export interface TargetVerdict {
  /** The target's triple. */
  readonly triple: string;
  /** The definition used. */
  readonly target: TargetDefinition;
  /** True when no reason is an error. */
  readonly fits: boolean;
  /** Errors (why not) and notes. */
  readonly reasons: readonly Reason[];
  /** What speaks for the target (WASI imports matched, its command export...), used to rank fitting targets. */
  readonly evidence: readonly string[];
}

/** The result of `classify`. */
export interface Classification {
  /** Core module or component. */
  readonly artifact: ArtifactFacts['artifact'];
  /** One verdict per target, in display order. */
  readonly verdicts: readonly TargetVerdict[];
  /** Triples of the targets the binary fits. */
  readonly fits: readonly string[];
  /** The fitting target with the most evidence, if any fits. */
  readonly best?: string;
  /** The facts the verdicts were made from. */
  readonly facts: ArtifactFacts;
}

/** Options of `classify` and {@link classifyFacts}. */
export interface ClassifyOptions extends LookupOptions {
  /** Only judge these targets (triples or aliases); default: every target. */
  readonly targets?: readonly string[];
  /** Include targets defined only by a proposal (default `true`). */
  readonly proposed?: boolean;
}

/** Core import modules that are WASI. */
const WASI_CORE_MODULES: readonly string[] = ['wasi_snapshot_preview1', 'wasi_unstable', 'wasi'];

/** Whether an import is a WASI import. */
export function isWasiImport(i: ImportFact): boolean {
  return i.module === undefined ? i.name.startsWith('wasi:') : WASI_CORE_MODULES.includes(i.module);
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`);
}

/** Whether an import matches a registry pattern (`wasi:*@0.2.*`, `wasi_snapshot_preview1`, `wasi::thread-spawn`). */
export function matchesImportPattern(i: ImportFact, pattern: string): boolean {
  if (i.module === undefined) return !pattern.includes('::') && globToRegExp(pattern).test(i.name);
  const [mod, field] = pattern.split('::') as [string, string | undefined];
  return globToRegExp(mod).test(i.module) && (field === undefined || globToRegExp(field).test(i.name));
}

function describeImport(i: ImportFact): string {
  return i.module === undefined ? `\`${i.name}\`` : `\`${i.module}.${i.name}\``;
}

function listSome(items: readonly string[], max = 3): string {
  const head = items.slice(0, max).join(', ');
  return items.length > max ? `${head} and ${items.length - max} more` : head;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list === undefined) m.set(k, [it]);
    else list.push(it);
  }
  return m;
}

const HOST_FEATURE_WORDS: Readonly<Record<HostFeature, string>> = {
  'component-model': 'a component runtime',
  'wasi-preview1': 'WASI preview 1',
  'wasi-0.2': 'WASI 0.2',
  'wasi-0.3': 'WASI 0.3',
  'shared-memory': 'shared memory',
  'wasi-threads': 'wasi-threads',
  'async-builtins': 'the async built-ins',
  'stackful-lift': 'stackful async lifts',
  'threading-builtins': 'the cooperative threading built-ins',
};

/** Judge one target. */
export function judgeTarget(facts: ArtifactFacts, t: TargetDefinition): TargetVerdict {
  const reasons: Reason[] = [];
  const evidence: string[] = [];
  const error = (code: ReasonCode, message: string): void => void reasons.push({ code, severity: 'error', message });
  const note = (code: ReasonCode, message: string): void => void reasons.push({ code, severity: 'note', message });
  const done = (): TargetVerdict => ({
    triple: t.triple,
    target: t,
    fits: reasons.every((r) => r.severity !== 'error'),
    reasons,
    evidence: [...new Set(evidence)],
  });

  // 1. Artifact kind. Nothing else is comparable across the two kinds, so stop.
  if (facts.artifact !== t.artifact) {
    error(
      'artifact-kind',
      facts.artifact === 'core-module'
        ? `is a core module, but ${t.triple} produces components`
        : `is a component, but ${t.triple} produces core modules`,
    );
    return done();
  }

  // 2. Imports.
  const outside: string[] = [];
  const foreign: string[] = [];
  let wasiImports = 0;
  for (const i of facts.imports) {
    if (isWasiImport(i)) {
      wasiImports++;
      const rule = t.imports.wasi.find((r) => matchesImportPattern(i, r.pattern));
      if (rule === undefined) outside.push(describeImport(i));
      else evidence.push(`imports ${rule.pattern}`);
    } else if (!t.imports.foreign) {
      foreign.push(describeImport(i));
    }
  }
  if (outside.length > 0) {
    const worlds = t.imports.wasi.length === 0 ? 'it imports no WASI' : `it allows ${t.imports.wasi.map((r) => r.pattern).join(', ')}`;
    error('wasi-import', `imports ${listSome(outside)}, outside ${t.triple}'s WASI worlds (${worlds})`);
  }
  if (foreign.length > 0) error('foreign-import', `imports ${listSome(foreign)}, but ${t.triple} allows only WASI imports`);
  if (wasiImports === 0 && t.wasi === 'none') evidence.push(`imports no WASI (${t.triple} imports nothing by default)`);

  // 3. Command export.
  if (t.commandExports !== 'any') {
    const patterns = t.commandExports;
    for (const e of facts.exports) {
      const isRun = facts.artifact === 'component' ? /^wasi:cli\/run@/.test(e.name) : e.name === '_start';
      if (!isRun) continue;
      const hit = patterns.find((p) => globToRegExp(p.pattern).test(e.name));
      if (hit === undefined) {
        error('command-export', `exports \`${e.name}\`, but ${t.triple} commands export ${patterns.map((p) => `\`${p.pattern}\``).join(' or ') || 'nothing'}`);
      } else {
        evidence.push(`exports ${hit.pattern}`);
      }
    }
  }

  for (const req of t.requiredExports) {
    if (req.ifImports !== undefined && !facts.imports.some((i) => matchesImportPattern(i, req.ifImports!))) continue;
    if (facts.exports.some((e) => e.name === req.name)) continue;
    error('missing-export', `does not export \`${req.name}\`, which ${t.triple} binaries must (${req.why})`);
  }

  // 4. Host features.
  const allowed = new Set<HostFeature>([...t.hostNeeds, ...t.hostMay]);
  for (const [feature, uses] of groupBy<HostFeatureUse>(facts.host, (u) => u.feature)) {
    const f = feature as HostFeature;
    const where = listSome(uses.map((u) => u.evidence));
    if (allowed.has(f)) evidence.push(`uses ${HOST_FEATURE_WORDS[f]}`);
    else error('host-feature', `uses ${HOST_FEATURE_WORDS[f]} (${where}), which ${t.triple} binaries do not use`);
  }

  // 5. Wasm features.
  for (const [feature, uses] of groupBy<FeatureUse>(facts.features, (u) => u.feature)) {
    if (t.features.includes(feature)) continue;
    const where = listSome(uses.map((u) => u.evidence));
    if (t.featuresFixed || feature === 'atomics') {
      error('wasm-feature', `uses ${feature} (${where}), which ${t.triple} does not enable`);
    } else {
      note('wasm-feature', `uses ${feature} (${where}), which ${t.triple} does not enable by default (-C target-feature=+${feature})`);
    }
  }

  if (facts.declaredFeatures !== undefined) {
    const want = [...new Set(t.features)].sort();
    if (want.length === facts.declaredFeatures.length && want.every((f, i) => f === facts.declaredFeatures![i])) {
      evidence.push(`compiled with exactly ${t.triple}'s default features (target_features section)`);
    }
  }

  // 6. Memory of a core module.
  if (facts.artifact === 'core-module' && t.threads === 'wasi-threads') {
    const m = facts.memory;
    if (m === undefined || !m.imported || !m.shared) {
      const has = m === undefined ? 'has no memory' : `${m.imported ? 'imports' : 'defines'} a ${m.shared ? 'shared' : 'non-shared'} memory`;
      error('memory', `${has}; ${t.triple} binaries import a shared memory (--import-memory --shared-memory)`);
    } else {
      evidence.push('imports a shared memory');
    }
  }
  return done();
}

/**
 * Classify a binary from its facts (see `inspect` to get them from bytes).
 *
 * @throws {@link TargetError} when `options.targets` names an unknown target or `options.rustc` is not a version
 */
export function classifyFacts(facts: ArtifactFacts, options: ClassifyOptions = {}): Classification {
  let targets = listTargets(options.rustc === undefined ? {} : { rustc: options.rustc });
  if (options.proposed === false) targets = targets.filter((t) => t.status !== 'proposed');
  if (options.targets !== undefined) {
    const wanted = new Set(options.targets.map((n) => resolveTriple(n, options)));
    targets = targets.filter((t) => wanted.has(t.triple));
  }
  const verdicts = targets.map((t) => judgeTarget(facts, t));
  const fitting = verdicts.filter((v) => v.fits);
  let best: TargetVerdict | undefined;
  for (const v of fitting) if (best === undefined || v.evidence.length > best.evidence.length) best = v;
  const out = { artifact: facts.artifact, verdicts, fits: fitting.map((v) => v.triple), facts };
  return best === undefined ? out : { ...out, best: best.triple };
}

function resolveTriple(name: string, options: LookupOptions): string {
  return getTarget(name, options.rustc === undefined ? {} : { rustc: options.rustc }).target.triple;
}
