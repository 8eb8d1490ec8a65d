/**
 * Extract {@link ArtifactFacts} from the AST of `@wasm-components/binary`.
 *
 * The walk takes an AST, so it can be tested on ASTs from any decoder entry
 * point; `inspect.ts` does the decoding.
 *
 * Feature detection is conservative: a feature is reported only when the
 * binary certainly uses it (a type, a section, a flag, or an instruction
 * when instruction bodies were decoded). Instructions are the only evidence
 * of `sign-ext` and `nontrapping-fptoint`, so without them those go unseen.
 *
 * @module
 */
import { type Component, type Module, Reader, isDecodeError } from '@wasm-components/binary';
import type { ArtifactFacts, ExportFact, FeatureUse, HostFeatureUse, ImportFact, MemoryFact } from './facts.js';

/** Instruction-name tests for features that only instructions reveal, with rustc's feature names. */
const OP_FEATURES: readonly (readonly [RegExp, string])[] = [
  [/^i(32|64)\.extend(8|16|32)_s$/, 'sign-ext'],
  [/\.trunc_sat_/, 'nontrapping-fptoint'],
  [/^(memory\.(copy|fill|init)|data\.drop|table\.(copy|init)|elem\.drop)$/, 'bulk-memory'],
  [/^(ref\.(null|is_null|func)|table\.(get|set|size|grow|fill)|select_t|typed_select)$/, 'reference-types'],
  [/^(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./, 'simd128'],
  [/(\.atomic\.|^atomic\.fence$)/, 'atomics'],
  [/^(return_call|return_call_indirect|return_call_ref)$/, 'tail-call'],
  [/^(try|try_table|throw|throw_ref|rethrow|catch|catch_all|delegate)$/, 'exception-handling'],
  [/^(struct|array|ref\.(cast|test|i31)|i31|any\.convert_extern|extern\.convert_any|br_on_cast)/, 'gc'],
];

type ModuleSection = Module['sections'][number];
type SectionOf<K extends ModuleSection['kind']> = Extract<ModuleSection, { kind: K }>;
type ImportEntry = SectionOf<'import'>['imports'][number];

function sectionsOf<K extends ModuleSection['kind']>(m: Module, kind: K): SectionOf<K>[] {
  return m.sections.filter((s): s is SectionOf<K> => s.kind === kind);
}

interface FlatImport {
  readonly module: string;
  readonly name: string;
  readonly type: { readonly kind: string; readonly shared?: boolean; readonly memory64?: boolean; readonly mutable?: boolean; readonly element?: unknown };
}

/** Expand the compact import forms into one entry per import. */
function flatImports(m: Module): FlatImport[] {
  const out: FlatImport[] = [];
  for (const s of sectionsOf(m, 'import')) {
    for (const e of s.imports as readonly ImportEntry[]) {
      if (e.kind === 'import') out.push({ module: e.module, name: e.name, type: e.type });
      else if (e.kind === 'import-items') for (const it of e.items) out.push({ module: e.module, name: it.name, type: it.type });
      else for (const n of e.names) out.push({ module: e.module, name: n, type: e.type });
    }
  }
  return out;
}

/**
 * LLVM features that rustc has no name for, mapped to the rustc feature that
 * implies them (`bulk-memory-opt` is the memory.copy/fill half of
 * bulk-memory; `call-indirect-overlong` comes with reference-types).
 */
const LLVM_FEATURE_ALIASES: Readonly<Record<string, string>> = { 'bulk-memory-opt': 'bulk-memory', 'call-indirect-overlong': 'reference-types' };

/**
 * The features a `target_features` custom section lists as used (`+`) or
 * required (`=`), with rustc's names. LLVM's linker writes this section
 * (tool-conventions `Linking.md#target-features-section`); it says what the
 * code was compiled with, which is the best evidence of a target when
 * instructions alone cannot tell. Returns `undefined` when the section is
 * absent or malformed (it is only a hint).
 */
export function targetFeaturesSection(m: Module): string[] | undefined {
  const s = m.sections.find((x): x is SectionOf<'custom'> => x.kind === 'custom' && x.name === 'target_features');
  if (s === undefined) return undefined;
  try {
    const r = new Reader(s.data);
    const n = r.count('target features', 2);
    const out = new Set<string>();
    for (let i = 0; i < n; i++) {
      const prefix = r.u8('feature prefix');
      const name = r.name('feature name');
      if (prefix === 0x2b || prefix === 0x3d) out.add(LLVM_FEATURE_ALIASES[name] ?? name);
    }
    return [...out].sort();
  } catch (e) {
    if (isDecodeError(e)) return undefined;
    throw e;
  }
}

function isV128(t: unknown): boolean {
  return t === 'v128';
}

/** Wasm features a core module uses. `where` prefixes each evidence (`core module 2: `). */
export function moduleFeatures(m: Module, where = ''): FeatureUse[] {
  const out: FeatureUse[] = [];
  const use = (feature: string, evidence: string): void => void out.push({ feature, evidence: `${where}${evidence}` });
  const imports = flatImports(m);
  let tables = 0;
  for (const i of imports) {
    if (i.type.kind === 'memory') {
      if (i.type.shared === true) use('atomics', `imported memory ${i.module}.${i.name} is shared`);
      if (i.type.memory64 === true) use('memory64', `imported memory ${i.module}.${i.name} is 64-bit`);
    } else if (i.type.kind === 'global' && i.type.mutable === true) {
      use('mutable-globals', `imports mutable global ${i.module}.${i.name}`);
    } else if (i.type.kind === 'table') {
      tables++;
    } else if (i.type.kind === 'tag') {
      use('exception-handling', `imports tag ${i.module}.${i.name}`);
    }
  }
  let typeIndex = 0;
  for (const s of sectionsOf(m, 'type')) {
    for (const g of s.groups) {
      for (const sub of g.types) {
        const c = sub.type as { kind: string; params?: readonly unknown[]; results?: readonly unknown[] };
        if (c.kind === 'func') {
          if ((c.results?.length ?? 0) > 1) use('multivalue', `type ${typeIndex} returns ${c.results!.length} values`);
          if ([...(c.params ?? []), ...(c.results ?? [])].some(isV128)) use('simd128', `type ${typeIndex} has a v128 parameter or result`);
        } else {
          use('gc', `type ${typeIndex} is a ${c.kind} type`);
        }
        typeIndex++;
      }
    }
  }
  for (const s of sectionsOf(m, 'memory')) {
    s.memories.forEach((mem, i) => {
      if (mem.shared) use('atomics', `memory ${i} is shared`);
      if (mem.memory64) use('memory64', `memory ${i} is 64-bit`);
    });
  }
  for (const s of sectionsOf(m, 'table')) tables += s.tables.length;
  if (tables > 1) use('reference-types', `${tables} tables`);
  for (const s of sectionsOf(m, 'global')) {
    s.globals.forEach((g, i) => {
      if (isV128(g.type.type)) use('simd128', `global ${i} is v128`);
    });
  }
  const exportedGlobals = new Set<number>();
  for (const s of sectionsOf(m, 'export')) for (const e of s.exports) if (e.sort === 'global') exportedGlobals.add(e.index);
  if (exportedGlobals.size > 0) {
    const importedGlobals = imports.filter((i) => i.type.kind === 'global').length;
    let gi = importedGlobals;
    for (const s of sectionsOf(m, 'global')) {
      for (const g of s.globals) {
        if (g.type.mutable && exportedGlobals.has(gi)) use('mutable-globals', `exports mutable global ${gi}`);
        gi++;
      }
    }
  }
  if (sectionsOf(m, 'data-count').length > 0) use('bulk-memory', 'has a data count section');
  for (const s of sectionsOf(m, 'data')) s.segments.forEach((d, i) => d.mode.kind === 'passive' && use('bulk-memory', `data segment ${i} is passive`));
  if (sectionsOf(m, 'tag').length > 0) use('exception-handling', 'has a tag section');
  for (const f of targetFeaturesSection(m) ?? []) use(f, `compiled with +${f} (target_features section)`);
  let fn = imports.filter((i) => i.type.kind === 'func').length;
  for (const s of sectionsOf(m, 'code')) {
    for (const body of s.bodies) {
      if (body.locals.some((l) => isV128(l.type))) use('simd128', `function ${fn} has a v128 local`);
      const seen = new Set<string>();
      for (const ins of body.instructions ?? []) {
        const op = (ins as { op: string }).op;
        if (seen.has(op)) continue;
        seen.add(op);
        for (const [re, feature] of OP_FEATURES) if (re.test(op)) use(feature, `instruction ${op} in function ${fn}`);
      }
      fn++;
    }
  }
  return dedupe(out);
}

/** Keep the first few uses of each feature: enough to point at, without listing every instruction. */
function dedupe(uses: FeatureUse[], perFeature = 3): FeatureUse[] {
  const count = new Map<string, number>();
  return uses.filter((u) => {
    const n = count.get(u.feature) ?? 0;
    count.set(u.feature, n + 1);
    return n < perFeature;
  });
}

function moduleMemory(m: Module): MemoryFact | undefined {
  for (const i of flatImports(m)) {
    if (i.type.kind === 'memory') return { imported: true, shared: i.type.shared === true, memory64: i.type.memory64 === true };
  }
  for (const s of sectionsOf(m, 'memory')) {
    const mem = s.memories[0];
    if (mem !== undefined) return { imported: false, shared: mem.shared, memory64: mem.memory64 };
  }
  return undefined;
}

function moduleHasInstructions(m: Module): boolean {
  return sectionsOf(m, 'code').every((s) => s.bodies.every((b) => b.instructions !== undefined));
}

/** The facts of a core module. */
export function moduleFacts(m: Module): ArtifactFacts {
  const imports: ImportFact[] = flatImports(m).map((i) => ({ module: i.module, name: i.name, sort: i.type.kind }));
  const exports: ExportFact[] = sectionsOf(m, 'export').flatMap((s) => s.exports.map((e) => ({ name: e.name, sort: e.sort })));
  const memory = moduleMemory(m);
  const declared = targetFeaturesSection(m);
  const base: ArtifactFacts = { artifact: 'core-module', imports, exports, features: moduleFeatures(m), host: [], instructionsScanned: moduleHasInstructions(m) };
  const withMemory = memory === undefined ? base : { ...base, memory };
  return declared === undefined ? withMemory : { ...withMemory, declaredFeatures: declared };
}

// ---------------------------------------------------------------------------
// Components
// ---------------------------------------------------------------------------

/** Canonical built-ins that belong to the async part of the component model (`Concurrency.md`). */
const ASYNC_BUILTIN = /^(task\.|subtask\.|waitable|stream\.|future\.|backpressure\.|error-context\.|thread\.yield$)/;
/** Canonical built-ins of cooperative threads (`Concurrency.md#thread-built-ins`). */
const THREAD_BUILTIN = /^thread\./;

type ComponentSection = Component['sections'][number];
type ComponentSectionOf<K extends ComponentSection['kind']> = Extract<ComponentSection, { kind: K }>;
type CanonicalFunction = ComponentSectionOf<'canon'>['functions'][number];

interface ComponentWalk {
  features: FeatureUse[];
  declared: Set<string> | undefined;
  host: HostFeatureUse[];
  modules: number;
  instructions: boolean;
}

function canonHostUses(c: CanonicalFunction, walk: ComponentWalk, where: string): void {
  const kind: string = c.kind;
  if (c.kind === 'lift' || c.kind === 'lower') {
    if (!c.options.some((o) => o.kind === 'async')) return;
    if (c.kind === 'lower') {
      walk.host.push({ feature: 'async-builtins', evidence: `${where}async lower of func ${c.func}` });
      return;
    }
    walk.host.push({ feature: 'async-builtins', evidence: `${where}async lift of core func ${c.func}` });
    // An async lift without a callback suspends on the wasm stack (`Concurrency.md`, "stackful").
    if (!c.options.some((o) => o.kind === 'callback')) {
      walk.host.push({ feature: 'stackful-lift', evidence: `${where}async lift of core func ${c.func} without a callback` });
    }
    return;
  }
  if (c.kind === 'context.get' || c.kind === 'context.set') {
    // Slot 0 is the task's context (async); the slots above 0 exist for threads.
    walk.host.push({ feature: c.index > 0 ? 'threading-builtins' : 'async-builtins', evidence: `${where}canon ${kind} ${c.index}` });
    return;
  }
  if (ASYNC_BUILTIN.test(kind)) walk.host.push({ feature: 'async-builtins', evidence: `${where}canon ${kind}` });
  else if (THREAD_BUILTIN.test(kind)) walk.host.push({ feature: 'threading-builtins', evidence: `${where}canon ${kind}` });
}

function walkComponent(c: Component, walk: ComponentWalk, depth: number): void {
  const where = depth === 0 ? '' : 'nested component: ';
  for (const s of c.sections) {
    if (s.kind === 'core-module') {
      const idx = walk.modules++;
      walk.features.push(...moduleFeatures(s.module, `core module ${idx}: `));
      if (!moduleHasInstructions(s.module)) walk.instructions = false;
      const declared = targetFeaturesSection(s.module);
      if (declared !== undefined) walk.declared = new Set([...(walk.declared ?? []), ...declared]);
    } else if (s.kind === 'nested-component') {
      walkComponent(s.component, walk, depth + 1);
    } else if (s.kind === 'canon') {
      for (const f of s.functions) canonHostUses(f, walk, where);
    }
  }
}

/** The facts of a component: its own imports and exports, and what its nested modules and components use. */
export function componentFacts(c: Component): ArtifactFacts {
  const imports: ImportFact[] = [];
  const exports: ExportFact[] = [];
  for (const s of c.sections) {
    if (s.kind === 'import') for (const i of s.imports) imports.push({ name: i.name.name, sort: i.desc.kind });
    else if (s.kind === 'export') for (const e of s.exports) exports.push({ name: e.name.name, sort: e.sort });
  }
  const walk: ComponentWalk = { features: [], declared: undefined, host: [], modules: 0, instructions: true };
  walkComponent(c, walk, 0);
  const facts: ArtifactFacts = {
    artifact: 'component',
    imports,
    exports,
    features: dedupe(walk.features),
    host: dedupeHost(walk.host),
    instructionsScanned: walk.instructions,
  };
  return walk.declared === undefined ? facts : { ...facts, declaredFeatures: [...walk.declared].sort() };
}

function dedupeHost(uses: HostFeatureUse[]): HostFeatureUse[] {
  const seen = new Set<string>();
  return uses.filter((u) => {
    const k = `${u.feature}\0${u.evidence}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The facts of a decoded binary (core module or component). */
export function binaryFacts(b: Module | Component): ArtifactFacts {
  return b.kind === 'module' ? moduleFacts(b) : componentFacts(b);
}
