/**
 * The directive model of `.wast` scripts: module and component definitions
 * (text, `binary` and `quote` forms, `definition` and `instance` variants),
 * actions (`invoke`, `get`), `register`, and the assertions.
 *
 * Grammar: the script format of the core spec interpreter
 * (WebAssembly/spec `interpreter/README.md#scripts`) extended the way the
 * component-model suite and wasm-tools' `wast` crate use it: `component` is a
 * module form, and `(component definition ...)` / `(component instance $i $d)`
 * split definition from instantiation.
 *
 * @module
 */
import { WastSyntaxError, positionOf } from './errors.js';
import { type SExpr, type SList, parseSExprs } from './sexpr.js';
import { type WastValue, parseValues } from './values.js';
import { utf8OrUndefined } from './tokenizer.js';

/** Where a directive or module form is in the script. */
export interface Span {
  /** Offset of the `(`. */
  readonly start: number;
  /** Offset just past the `)`. */
  readonly end: number;
  /** 1-based line of `start`. */
  readonly line: number;
  /** 1-based column of `start`. */
  readonly column: number;
}

interface ModuleBase {
  /** `component` or core `module`. */
  readonly kind: 'component' | 'module';
  /** The `$id` (without `$`) naming it for later `invoke`/`register`/`instance`, if any. */
  readonly id?: string;
  /** True for `(component definition ...)`: define only, do not instantiate. */
  readonly definition: boolean;
  readonly span: Span;
  /** The exact source text of the whole form, from `(` to `)`. */
  readonly source: string;
}

/**
 * A module or component written in the text format. `wat` is text a WAT
 * parser accepts: `source` with the script-only `definition` keyword blanked
 * out (same length, so line:column in a parser's error still match the script).
 */
export interface TextModule extends ModuleBase {
  readonly form: 'text';
  readonly wat: string;
}

/** `(component binary "..." ...)`: the strings' bytes, concatenated. */
export interface BinaryModule extends ModuleBase {
  readonly form: 'binary';
  readonly bytes: Uint8Array;
}

/**
 * `(component quote "..." ...)`: text to be parsed later, used for cases
 * the script itself could not even tokenize. `quote` is the strings joined by
 * spaces; `wat` wraps it as `(component <quote>)`, as the spec interpreter does.
 */
export interface QuoteModule extends ModuleBase {
  readonly form: 'quote';
  readonly quote: string;
  readonly wat: string;
}

/** A module or component definition in any of its three forms. */
export type WastModule = TextModule | BinaryModule | QuoteModule;

/** `(component instance $inst? $def?)`: instantiate a `definition` (the last one if `$def` is absent). */
export interface InstanceDirective {
  readonly kind: 'instance';
  readonly layer: 'component' | 'module';
  /** The new instance's `$id`, without `$`. */
  readonly id?: string;
  /** The definition's `$id`, without `$`. */
  readonly definition?: string;
  readonly span: Span;
}

/** `(register "name" $id?)`: make an instance importable under `name`. */
export interface RegisterDirective {
  readonly kind: 'register';
  readonly name: string;
  readonly instance?: string;
  readonly span: Span;
}

/** `(invoke $id? "name" value*)`: call an export. */
export interface InvokeAction {
  readonly kind: 'invoke';
  /** Which instance (`$id` without `$`); the latest one when absent. */
  readonly instance?: string;
  readonly name: string;
  readonly args: readonly WastValue[];
  readonly span: Span;
}

/** `(get $id? "name")`: read an exported global. */
export interface GetAction {
  readonly kind: 'get';
  readonly instance?: string;
  readonly name: string;
  readonly span: Span;
}

/** An action: something that runs code. */
export type Action = InvokeAction | GetAction;

/** `(assert_return action result*)`. */
export interface AssertReturn {
  readonly kind: 'assert_return';
  readonly action: Action;
  readonly results: readonly WastValue[];
  readonly span: Span;
}

/** `(assert_trap action "msg")`, or `(assert_trap module "msg")` for a trap during instantiation. */
export interface AssertTrap {
  readonly kind: 'assert_trap';
  readonly target: Action | WastModule;
  readonly message: string;
  readonly span: Span;
}

/** `(assert_exhaustion action "msg")`: the call runs out of stack. */
export interface AssertExhaustion {
  readonly kind: 'assert_exhaustion';
  readonly action: Action;
  readonly message: string;
  readonly span: Span;
}

/** `(assert_exception action)`: the call throws a Wasm exception. */
export interface AssertException {
  readonly kind: 'assert_exception';
  readonly action: Action;
  readonly span: Span;
}

/** `(assert_suspension action "msg")`: the call suspends to the host (stack switching). */
export interface AssertSuspension {
  readonly kind: 'assert_suspension';
  readonly action: Action;
  readonly message: string;
  readonly span: Span;
}

/**
 * `(assert_invalid m "msg")` (decodes but fails validation),
 * `(assert_malformed m "msg")` (does not decode / parse),
 * `(assert_unlinkable m "msg")` (valid, but its imports cannot be satisfied).
 */
export interface AssertModule {
  readonly kind: 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable';
  readonly module: WastModule;
  readonly message: string;
  readonly span: Span;
}

/**
 * A directive this parser does not model (e.g. `thread`, `wait` of the
 * threads proposal): kept as source so a runner can skip it visibly.
 */
export interface UnknownDirective {
  readonly kind: 'unknown';
  readonly head: string;
  readonly source: string;
  readonly span: Span;
}

/** One top-level command of a script. */
export type Directive =
  | WastModule
  | InstanceDirective
  | RegisterDirective
  | InvokeAction
  | GetAction
  | AssertReturn
  | AssertTrap
  | AssertExhaustion
  | AssertException
  | AssertSuspension
  | AssertModule
  | UnknownDirective;

/** A parsed script. */
export interface WastScript {
  /** The file name, if given, for messages. */
  readonly file?: string;
  /** The script text the spans refer to. */
  readonly source: string;
  readonly directives: readonly Directive[];
}

class Ctx {
  constructor(readonly src: string) {}

  span(e: SExpr): Span {
    const p = positionOf(this.src, e.start);
    return { start: e.start, end: e.end, line: p.line, column: p.column };
  }

  fail(msg: string, at: number): never {
    throw new WastSyntaxError(msg, positionOf(this.src, at));
  }

  list(e: SExpr | undefined, what: string, at: number): SList {
    if (e?.kind !== 'list' || e.annotation !== undefined) return this.fail(`expected ${what}`, e?.start ?? at);
    return e;
  }

  string(e: SExpr | undefined, what: string, at: number): string {
    if (e?.kind !== 'string') return this.fail(`expected a string (${what})`, e?.start ?? at);
    return e.value ?? this.fail(`${what} is not valid UTF-8`, e.start);
  }
}

function headKeyword(e: SList): string | undefined {
  const h = e.items[0];
  return h?.kind === 'keyword' ? h.text : undefined;
}

/** Items of a list, without annotations `(@...)`, which never change a directive's meaning. */
function operands(e: SList): SExpr[] {
  return e.items.slice(1).filter((x) => x.kind !== 'list' || x.annotation === undefined);
}

function parseModule(c: Ctx, e: SList): WastModule {
  const head = headKeyword(e);
  if (head !== 'component' && head !== 'module') return c.fail('expected (component ...) or (module ...)', e.start);
  const kind: 'component' | 'module' = head;
  const items = e.items;
  let i = 1;
  let definition = false;
  let definitionToken: SExpr | undefined;
  if (items[i]?.kind === 'keyword' && (items[i] as { text: string }).text === 'definition') {
    definition = true;
    definitionToken = items[i];
    i++;
  }
  let id: string | undefined;
  const idTok = items[i];
  if (idTok?.kind === 'id') {
    id = idTok.name;
    i++;
  }
  const base = {
    kind,
    ...(id === undefined ? {} : { id }),
    definition,
    span: c.span(e),
    source: c.src.slice(e.start, e.end),
  };
  const form = items[i];
  if (form?.kind === 'keyword' && (form.text === 'binary' || form.text === 'quote')) {
    const strings = items.slice(i + 1);
    const parts: Uint8Array[] = [];
    for (const s of strings) {
      if (s.kind !== 'string') return c.fail(`expected only strings in a ${form.text} ${kind}`, s.start);
      parts.push(s.bytes);
    }
    if (form.text === 'binary') {
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        bytes.set(p, o);
        o += p.length;
      }
      return { ...base, form: 'binary', bytes };
    }
    const quote = parts.map((p) => utf8OrUndefined(p) ?? new TextDecoder().decode(p)).join(' ');
    return { ...base, form: 'quote', quote, wat: `(${kind} ${quote})` };
  }
  let wat = base.source;
  if (definitionToken !== undefined) {
    const a = definitionToken.start - e.start;
    const b = definitionToken.end - e.start;
    wat = wat.slice(0, a) + ' '.repeat(b - a) + wat.slice(b);
  }
  return { ...base, form: 'text', wat };
}

function isModuleForm(e: SExpr | undefined): e is SList {
  if (e?.kind !== 'list' || e.annotation !== undefined) return false;
  const h = headKeyword(e);
  if (h !== 'component' && h !== 'module') return false;
  const second = e.items[1];
  return !(second?.kind === 'keyword' && second.text === 'instance');
}

function parseAction(c: Ctx, e: SExpr | undefined, at: number): Action {
  const l = c.list(e, 'an action (invoke ...) or (get ...)', at);
  const head = headKeyword(l);
  if (head !== 'invoke' && head !== 'get') return c.fail('expected an action (invoke ...) or (get ...)', l.start);
  const ops = operands(l);
  let k = 0;
  let instance: string | undefined;
  const first = ops[0];
  if (first?.kind === 'id') {
    instance = first.name;
    k++;
  }
  const name = c.string(ops[k], 'the export name', l.start);
  const inst = instance === undefined ? {} : { instance };
  if (head === 'get') {
    if (ops.length > k + 1) c.fail('unexpected operand of get', ops[k + 1]!.start);
    return { kind: 'get', ...inst, name, span: c.span(l) };
  }
  return { kind: 'invoke', ...inst, name, args: parseValues(ops.slice(k + 1), c.src), span: c.span(l) };
}

function parseDirective(c: Ctx, e: SExpr): Directive | undefined {
  if (e.kind !== 'list') return c.fail('expected a directive in parentheses', e.start);
  if (e.annotation !== undefined) return undefined;
  const head = headKeyword(e);
  const ops = operands(e);
  const span = c.span(e);
  switch (head) {
    case 'component':
    case 'module': {
      const second = e.items[1];
      if (second?.kind === 'keyword' && second.text === 'instance') {
        const ids = e.items.slice(2);
        for (const x of ids) if (x.kind !== 'id') c.fail('expected $ids in an instance directive', x.start);
        const [a, b] = ids as { name: string }[];
        return {
          kind: 'instance',
          layer: head,
          ...(a === undefined ? {} : { id: a.name }),
          ...(b === undefined ? {} : { definition: b.name }),
          span,
        };
      }
      return parseModule(c, e);
    }
    case 'register': {
      const name = c.string(ops[0], 'the registered name', e.start);
      const inst = ops[1];
      if (inst !== undefined && inst.kind !== 'id') c.fail('expected an $id', inst.start);
      return { kind: 'register', name, ...(inst?.kind === 'id' ? { instance: inst.name } : {}), span };
    }
    case 'invoke':
    case 'get':
      return parseAction(c, e, e.start);
    case 'assert_return':
      return { kind: 'assert_return', action: parseAction(c, ops[0], e.start), results: parseValues(ops.slice(1), c.src), span };
    case 'assert_trap': {
      const t = ops[0];
      const target = isModuleForm(t) ? parseModule(c, t) : parseAction(c, t, e.start);
      return { kind: 'assert_trap', target, message: c.string(ops[1], 'the trap message', e.start), span };
    }
    case 'assert_exhaustion':
    case 'assert_suspension':
      return { kind: head, action: parseAction(c, ops[0], e.start), message: c.string(ops[1], 'the message', e.start), span };
    case 'assert_exception':
      return { kind: 'assert_exception', action: parseAction(c, ops[0], e.start), span };
    case 'assert_invalid':
    case 'assert_malformed':
    case 'assert_unlinkable': {
      const m = ops[0];
      if (!isModuleForm(m)) return c.fail(`expected a module or component in ${head}`, m?.start ?? e.start);
      return { kind: head, module: parseModule(c, m), message: c.string(ops[1], 'the expected error', e.start), span };
    }
    default:
      return { kind: 'unknown', head: head ?? '', source: c.src.slice(e.start, e.end), span };
  }
}

/**
 * Parse a `.wast` script into its directives.
 *
 * @param src - the script text
 * @param file - a name for messages
 * @throws {@link WastSyntaxError} when the script does not tokenize or a directive has the wrong shape
 */
export function parseWast(src: string, file?: string): WastScript {
  const c = new Ctx(src);
  const directives: Directive[] = [];
  for (const e of parseSExprs(src)) {
    const d = parseDirective(c, e);
    if (d !== undefined) directives.push(d);
  }
  return { ...(file === undefined ? {} : { file }), source: src, directives };
}

/** Where a {@link WastModule} occurs: the directive holding it and its ordinal in the script. */
export interface ModuleOccurrence {
  /** 0-based ordinal among all module/component forms of the script, in source order. */
  readonly index: number;
  readonly module: WastModule;
  /** The top-level directive: the module itself, or the assertion wrapping it. */
  readonly directive: Directive;
}

/**
 * Every module and component form of a script, top-level or inside an
 * assertion, in source order. The `index` is a stable name for one case
 * (used by expectation files), as long as the script is not edited above it.
 */
export function modulesOf(script: WastScript): ModuleOccurrence[] {
  const out: ModuleOccurrence[] = [];
  for (const d of script.directives) {
    let m: WastModule | undefined;
    if (d.kind === 'component' || d.kind === 'module') m = d;
    else if (d.kind === 'assert_invalid' || d.kind === 'assert_malformed' || d.kind === 'assert_unlinkable') m = d.module;
    else if (d.kind === 'assert_trap' && (d.target.kind === 'component' || d.target.kind === 'module')) m = d.target;
    if (m !== undefined) out.push({ index: out.length, module: m, directive: d });
  }
  return out;
}

/** Feeds a WAT text to a parser (e.g. wasm-tools' `parse`) and gets the binary. */
export type WatParser = (wat: string) => Promise<Uint8Array>;

/**
 * The binary of a module form: the bytes of a `binary` form, or the text of a
 * `text`/`quote` form run through `parseWat`. Rejections of `parseWat` pass through.
 */
export async function moduleBytes(m: WastModule, parseWat: WatParser): Promise<Uint8Array> {
  return m.form === 'binary' ? m.bytes : parseWat(m.wat);
}
