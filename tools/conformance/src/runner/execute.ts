/**
 * The directive executor: runs one `.wast` script against an {@link Engine},
 * directive by directive, with the state the script format implies (a fresh
 * one per file): the definitions and instances named by `$id`, the current
 * (latest) instance that an `invoke` without `$id` targets, and the registry
 * of `register`ed instances that later components import by name.
 *
 * Every directive gets an outcome, passed or failed with a {@link FailureCause}
 * and a `hint` (the error's reason with numbers and names blanked) that
 * groups failures by cause in the expectations file.
 *
 * Semantics follow the spec interpreter's script format as wasmtime's `wast`
 * runs the component-model suite: `assert_trap` matches the suite's message as
 * a substring of the trap's message; `assert_invalid` needs the validator to
 * reject; `assert_malformed` needs decode (or, for text, wasm-tools) to reject.
 *
 * @module
 */
import type { FuncType } from '@wasm-components/canonical-abi';
import { type Action, type Directive, type WastModule, type WastScript, moduleBytes } from '@wasm-components/wast';
import { type Engine, type ErrorClass, describeError, messageOf } from './engine.js';
import { ValueConversionError, camelCase, matchValue, showJs, toJs } from './values.js';

/** Why a directive failed. Stable names: the expectations file lists them. */
export const FAILURE_CAUSES = [
  /** wasm-tools could not parse text the suite expects to be fine. */
  'wat-parse',
  /** Decode or validation rejected a component the suite expects to be valid. */
  'rejected-valid',
  /** `assert_invalid` / `assert_malformed`: the component was accepted. */
  'accepted-invalid',
  /** Instantiation failed with a LinkError where the suite expects success. */
  'link-error',
  /** A trap where the suite expects none. */
  'unexpected-trap',
  /** `assert_trap`: no error at all. */
  'no-trap',
  /** `assert_trap`: a trap, but its message does not contain the suite's text. */
  'wrong-message',
  /** `assert_trap` / `assert_exhaustion`: an error that is not a trap. */
  'not-a-trap',
  /** `assert_unlinkable`: instantiation succeeded, or failed otherwise than with a LinkError. */
  'not-unlinkable',
  /** An error of no known class (TypeError, "not implemented", ...). */
  'crash',
  /** An action on an instance that does not exist (its component failed earlier). */
  'no-instance',
  /** The instance has no such export, or it is not a function. */
  'missing-export',
  /** The suite's argument could not be converted to the parameter type. */
  'bad-argument',
  /** `assert_return`: the call returned another value. */
  'wrong-result',
  /** A directive the executor does not run (e.g. `assert_suspension`, `get`). */
  'unsupported-directive',
  /** The directive did not finish within {@link RunOptions.directiveTimeoutMs} (e.g. a call that never settles). */
  'timeout',
] as const;

/** One of {@link FAILURE_CAUSES}. */
export type FailureCause = (typeof FAILURE_CAUSES)[number];

/** How a passed rejection was reached, counted separately in the summary. */
export type RejectionNote =
  /** wasm-tools' text parser rejected it (name resolution, text-level checks): not our validator's work. */
  | 'text-rejected'
  /** `decode` rejected it. */
  | 'decode-rejected'
  /** Our validator rejected it. */
  | 'validation-rejected';

/** The outcome of one directive. */
export interface DirectiveOutcome {
  /** 0-based ordinal of the directive in its file. */
  readonly index: number;
  /** 1-based line where the directive starts: its name in the expectations file. */
  readonly line: number;
  /** The directive's kind, with `definition` for component definitions. */
  readonly kind: string;
  readonly ok: boolean;
  readonly cause?: FailureCause;
  /** What happened, for humans. */
  readonly detail?: string;
  /** A grouping key: the failure's class and reason with numbers and quoted names blanked. */
  readonly hint?: string;
  readonly note?: RejectionNote;
  /**
   * For a passed rejection by decode or the validator: whether the error's
   * message contains the suite's expected text (informational: wording is
   * not required to match, wasmparser's is not ours).
   */
  readonly messageMatches?: boolean;
}

type Failure = { readonly cause: FailureCause; readonly detail: string; readonly hint: string };

/** An instance slot: live exports, or why creating it failed (so later actions say so). */
type Slot =
  | { readonly ok: true; readonly layer: 'component' | 'module'; readonly exports: unknown }
  | { readonly ok: false; readonly line: number; readonly failure: Failure };

type Definition =
  | { readonly ok: true; readonly layer: 'component' | 'module'; readonly compiled: unknown }
  | { readonly ok: false; readonly line: number; readonly failure: Failure };

/**
 * Blank what varies between occurrences of one failure (numbers, quoted
 * names, offsets) so failures of one cause share a key.
 */
export function normalizeReason(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/`[^`]*`/g, '`…`')
    .replace(/\$[\w.-]+/g, '$…')
    .replace(/\bcanon (?!lift\b|lower\b)[a-z][\w.-]*/g, 'canon …')
    .replace(/0x[0-9a-f]+/gi, 'N')
    .replace(/\d+/g, 'N')
    .trim()
    .slice(0, 160);
}

function reasonOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && typeof (e as { reason?: unknown }).reason === 'string') {
    return (e as { reason: string }).reason;
  }
  return messageOf(e);
}

function failureFromError(cause: FailureCause, cls: ErrorClass, e: unknown, context: string): Failure {
  return { cause, detail: `${context}${describeError(e)}`, hint: `${cls}: ${normalizeReason(reasonOf(e))}` };
}

/** Strip the decoration wasmtime puts before trap messages (`wasm trap: `), which is not the trap's text. */
export function trapText(expected: string): string {
  return expected.replace(/^wasm trap:\s*/, '');
}

/** Runtime state of one script. */
class ScriptState {
  readonly definitions = new Map<string, Definition>();
  lastDefinition: Definition | undefined;
  readonly instances = new Map<string, Slot>();
  current: Slot | undefined;
  readonly registry: Record<string, unknown> = {};
}

/** Options of {@link runScript}. */
export interface RunOptions {
  /** Called after each directive (for progress or verbose logs). */
  readonly onOutcome?: (o: DirectiveOutcome) => void;
  /**
   * How long one directive may take before it counts as failed with cause
   * `timeout` (default {@link DIRECTIVE_TIMEOUT_MS}). An async call that
   * never settles must fail its directive, not hang the whole file.
   */
  readonly directiveTimeoutMs?: number;
}

/** Default of {@link RunOptions.directiveTimeoutMs}: far above any suite directive (they take milliseconds). */
export const DIRECTIVE_TIMEOUT_MS = 5_000;

/** `p`, or a `timeout` failure when it takes longer than `ms`. */
function withTimeout<T>(p: Promise<T>, ms: number, timedOut: () => T): Promise<T> {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<T>((resolve) => {
    handle = setTimeout(() => resolve(timedOut()), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(handle));
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * Run every directive of a script, in order, and return one outcome per
 * directive. Never throws for a failing directive; only a bug of the executor
 * itself escapes.
 */
export async function runScript(script: WastScript, engine: Engine, options: RunOptions = {}): Promise<DirectiveOutcome[]> {
  const state = new ScriptState();
  const out: DirectiveOutcome[] = [];
  for (let index = 0; index < script.directives.length; index++) {
    const d = script.directives[index]!;
    const kind = (d.kind === 'component' || d.kind === 'module') && d.definition ? `${d.kind} definition` : d.kind;
    let r: Result;
    try {
      const ms = options.directiveTimeoutMs ?? DIRECTIVE_TIMEOUT_MS;
      r = await withTimeout(runDirective(d, state, engine), ms, (): Result => {
        const detail = `the directive did not finish within ${ms} ms`;
        engine.abandon?.(new Error(`abandoned: ${detail}`));
        return { ok: false, cause: 'timeout', detail, hint: 'timeout' };
      });
    } catch (e) {
      // A failure the directive code did not anticipate is still only this directive's failure.
      r = { ok: false, ...failureFromError('crash', engine.classify(e), e, 'runner: ') };
    }
    const o: DirectiveOutcome = r.ok
      ? {
          index,
          line: d.span.line,
          kind,
          ok: true,
          ...(r.note === undefined ? {} : { note: r.note }),
          ...(r.messageMatches === undefined ? {} : { messageMatches: r.messageMatches }),
        }
      : { index, line: d.span.line, kind, ok: false, cause: r.cause, detail: r.detail, hint: r.hint };
    out.push(o);
    options.onOutcome?.(o);
  }
  return out;
}

type Result = { ok: true; note?: RejectionNote; messageMatches?: boolean } | ({ ok: false } & Failure);

const PASS: Result = { ok: true };

function fail(f: Failure): Result {
  return { ok: false, ...f };
}

async function bytesOf(m: WastModule, engine: Engine): Promise<{ bytes: Uint8Array } | { error: unknown }> {
  try {
    return { bytes: await moduleBytes(m, (wat) => engine.parseWat(wat)) };
  } catch (e) {
    return { error: e };
  }
}

/** Compile a module form: a failure when anything rejects it. */
async function compileForm(m: WastModule, engine: Engine): Promise<{ compiled: unknown } | { failure: Failure }> {
  const b = await bytesOf(m, engine);
  if ('error' in b) return { failure: { cause: 'wat-parse', detail: describeError(b.error), hint: 'wat-parse' } };
  if (m.kind === 'module') {
    try {
      return { compiled: new WebAssembly.Module(b.bytes as Uint8Array<ArrayBuffer>) };
    } catch (e) {
      return { failure: failureFromError('rejected-valid', 'validation', e, 'core module: ') };
    }
  }
  try {
    return { compiled: engine.compile(b.bytes) };
  } catch (e) {
    const cls = engine.classify(e);
    const cause: FailureCause = cls === 'decode' || cls === 'validation' ? 'rejected-valid' : 'crash';
    return { failure: failureFromError(cause, cls, e, 'compile: ') };
  }
}

async function instantiateCompiled(layer: 'component' | 'module', compiled: unknown, state: ScriptState, engine: Engine): Promise<unknown> {
  if (layer === 'module') {
    return new WebAssembly.Instance(compiled as WebAssembly.Module, state.registry as WebAssembly.Imports).exports;
  }
  const x = engine.instantiate(compiled, state.registry);
  return isThenable(x) ? await x : x;
}

/** Instantiate and classify: a slot, failed with the cause a top-level instantiation failure has. */
async function instantiateSlot(layer: 'component' | 'module', compiled: unknown, state: ScriptState, engine: Engine, line: number): Promise<Slot> {
  try {
    const exports = await instantiateCompiled(layer, compiled, state, engine);
    return { ok: true, layer, exports };
  } catch (e) {
    const cls = engine.classify(e);
    const cause: FailureCause =
      cls === 'link' ? 'link-error' : cls === 'trap' ? 'unexpected-trap' : cls === 'validation' || cls === 'decode' ? 'rejected-valid' : 'crash';
    return { ok: false, line, failure: failureFromError(cause, cls, e, 'instantiate: ') };
  }
}

function setInstance(state: ScriptState, id: string | undefined, slot: Slot): void {
  state.current = slot;
  if (id !== undefined) state.instances.set(id, slot);
}

async function runDirective(d: Directive, state: ScriptState, engine: Engine): Promise<Result> {
  switch (d.kind) {
    case 'component':
    case 'module': {
      const c = await compileForm(d, engine);
      const def: Definition = 'failure' in c ? { ok: false, line: d.span.line, failure: c.failure } : { ok: true, layer: d.kind, compiled: c.compiled };
      if (d.definition) {
        state.lastDefinition = def;
        if (d.id !== undefined) state.definitions.set(d.id, def);
        return def.ok ? PASS : fail(def.failure);
      }
      const slot = def.ok ? await instantiateSlot(d.kind, def.compiled, state, engine, d.span.line) : { ok: false as const, line: d.span.line, failure: def.failure };
      setInstance(state, d.id, slot);
      return slot.ok ? PASS : fail(slot.failure);
    }
    case 'instance': {
      const def = d.definition === undefined ? state.lastDefinition : state.definitions.get(d.definition);
      if (def === undefined) {
        const slot: Slot = { ok: false, line: d.span.line, failure: { cause: 'crash', detail: `no definition ${d.definition ?? '(latest)'}`, hint: 'runner: unknown definition' } };
        setInstance(state, d.id, slot);
        return fail(slot.failure);
      }
      if (!def.ok) {
        const failure: Failure = {
          cause: 'no-instance',
          detail: `the definition at line ${def.line} failed: ${def.failure.detail}`,
          hint: `definition failed: ${def.failure.cause}: ${def.failure.hint}`,
        };
        setInstance(state, d.id, { ok: false, line: def.line, failure: def.failure });
        return fail(failure);
      }
      const slot = await instantiateSlot(def.layer, def.compiled, state, engine, d.span.line);
      setInstance(state, d.id, slot);
      return slot.ok ? PASS : fail(slot.failure);
    }
    case 'register': {
      const slot = d.instance === undefined ? state.current : state.instances.get(d.instance);
      if (slot === undefined || !slot.ok) return fail(noInstance(slot, d.instance));
      state.registry[d.name] = slot.exports;
      return PASS;
    }
    case 'invoke': {
      const r = await perform(d, state, engine);
      if (r.kind === 'failure') return fail(r.failure);
      if (r.kind === 'threw') return fail(errorOfCall(r.error, engine));
      return PASS;
    }
    case 'assert_return': {
      const r = await perform(d.action, state, engine);
      if (r.kind === 'failure') return fail(r.failure);
      if (r.kind === 'threw') return fail(errorOfCall(r.error, engine));
      return checkResults(r.value, d.results, r.type);
    }
    case 'assert_trap': {
      if (d.target.kind === 'component' || d.target.kind === 'module') {
        const c = await compileForm(d.target, engine);
        if ('failure' in c) return fail(c.failure);
        try {
          const exports = await instantiateCompiled(d.target.kind, c.compiled, state, engine);
          setInstance(state, d.target.id, { ok: true, layer: d.target.kind, exports });
          return fail({ cause: 'no-trap', detail: `instantiated without a trap; the suite expects "${d.message}"`, hint: 'no trap at instantiation' });
        } catch (e) {
          return checkTrap(e, d.message, engine);
        }
      }
      const r = await perform(d.target as Action, state, engine);
      if (r.kind === 'failure') return fail(r.failure);
      if (r.kind === 'value') {
        return fail({ cause: 'no-trap', detail: `returned ${showJs(r.value)}; the suite expects a trap "${d.message}"`, hint: `no trap (expected "${normalizeReason(d.message)}")` });
      }
      return checkTrap(r.error, d.message, engine);
    }
    case 'assert_exhaustion': {
      const r = await perform(d.action, state, engine);
      if (r.kind === 'failure') return fail(r.failure);
      if (r.kind === 'value') return fail({ cause: 'no-trap', detail: `returned ${showJs(r.value)}; the suite expects stack exhaustion`, hint: 'no exhaustion' });
      const cls = engine.classify(r.error);
      if (cls === 'exhaustion' || cls === 'trap') return PASS;
      return fail(failureFromError('not-a-trap', cls, r.error, ''));
    }
    case 'assert_invalid':
      return assertRejected(d.module, d.message, engine, 'invalid');
    case 'assert_malformed':
      return assertRejected(d.module, d.message, engine, 'malformed');
    case 'assert_unlinkable': {
      const c = await compileForm(d.module, engine);
      if ('failure' in c) return fail(c.failure);
      try {
        await instantiateCompiled(d.module.kind, c.compiled, state, engine);
      } catch (e) {
        const cls = engine.classify(e);
        if (cls === 'link' || (d.module.kind === 'module' && e instanceof WebAssembly.LinkError)) return PASS;
        return fail(failureFromError('not-unlinkable', cls, e, 'instantiate: '));
      }
      return fail({ cause: 'not-unlinkable', detail: `instantiated; the suite expects a link error "${d.message}"`, hint: 'linked without error' });
    }
    case 'get':
    case 'assert_exception':
    case 'assert_suspension':
    case 'unknown': {
      const what = d.kind === 'unknown' ? d.head : d.kind;
      return fail({ cause: 'unsupported-directive', detail: `the runner does not run ${what}`, hint: `unsupported: ${what}` });
    }
  }
}

function noInstance(slot: Slot | undefined, id: string | undefined): Failure {
  if (slot === undefined) {
    return { cause: 'no-instance', detail: `no instance ${id === undefined ? '(none created yet)' : `$${id}`}`, hint: 'no instance' };
  }
  if (slot.ok) throw new Error('unreachable: live instance');
  return {
    cause: 'no-instance',
    detail: `the instance from line ${slot.line} failed: ${slot.failure.detail}`,
    hint: `instance failed: ${slot.failure.cause}: ${slot.failure.hint}`,
  };
}

type Performed =
  | { readonly kind: 'value'; readonly value: unknown; readonly type: FuncType | undefined }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'failure'; readonly failure: Failure };

/** Find an export: the name as written, then camelCase; `a#b` or `a/b` walks into nested instances. */
export function lookupExport(exports: unknown, name: string): unknown {
  const get = (o: unknown, n: string): unknown => {
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null) return undefined;
    const r = o as Record<string, unknown>;
    if (n in r) return r[n];
    const c = camelCase(n);
    return c in r ? r[c] : undefined;
  };
  const direct = get(exports, name);
  if (direct !== undefined) return direct;
  const parts = name.split(/[#/]/);
  if (parts.length < 2) return undefined;
  let o: unknown = exports;
  for (const p of parts) o = get(o, p);
  return o;
}

async function perform(a: Action, state: ScriptState, engine: Engine): Promise<Performed> {
  const slot = a.instance === undefined ? state.current : state.instances.get(a.instance);
  if (slot === undefined || !slot.ok) return { kind: 'failure', failure: noInstance(slot, a.instance) };
  const target = lookupExport(slot.exports, a.name);
  if (a.kind === 'get') {
    return { kind: 'failure', failure: { cause: 'unsupported-directive', detail: 'get is not supported', hint: 'unsupported: get' } };
  }
  if (typeof target !== 'function') {
    return {
      kind: 'failure',
      failure: {
        cause: 'missing-export',
        detail: `no function export "${a.name}" (exports: ${describeKeys(slot.exports)})`,
        hint: 'missing export',
      },
    };
  }
  const type = slot.layer === 'component' ? engine.funcType?.(target) : undefined;
  let args: unknown[];
  try {
    if (type !== undefined && type.params.length !== a.args.length) {
      throw new ValueConversionError(`${a.args.length} arguments for ${type.params.length} parameters`);
    }
    args = a.args.map((v, i) => (slot.layer === 'module' ? coreArg(v) : toJs(v, type?.params[i]?.type)));
  } catch (e) {
    if (!(e instanceof ValueConversionError)) throw e;
    return { kind: 'failure', failure: { cause: 'bad-argument', detail: e.message, hint: 'bad argument' } };
  }
  try {
    let value: unknown = (target as (...xs: unknown[]) => unknown)(...args);
    if (isThenable(value)) value = await value;
    return { kind: 'value', value, type };
  } catch (e) {
    return { kind: 'threw', error: e };
  }
}

function coreArg(v: Parameters<typeof toJs>[0]): unknown {
  if (v.kind === 'int') return v.type === 'i64' ? v.value : Number(BigInt.asIntN(32, v.value));
  return toJs(v);
}

function describeKeys(x: unknown): string {
  if ((typeof x !== 'object' && typeof x !== 'function') || x === null) return showJs(x);
  const keys = Object.keys(x);
  return keys.length === 0 ? 'none' : keys.slice(0, 12).join(', ');
}

function errorOfCall(e: unknown, engine: Engine): Failure {
  const cls = engine.classify(e);
  return failureFromError(cls === 'trap' || cls === 'exhaustion' ? 'unexpected-trap' : 'crash', cls, e, '');
}

function checkResults(value: unknown, expected: readonly Parameters<typeof matchValue>[1][], type: FuncType | undefined): Result {
  if (expected.length === 0) {
    return value === undefined ? PASS : fail({ cause: 'wrong-result', detail: `expected no result, got ${showJs(value)}`, hint: 'wrong result' });
  }
  if (expected.length > 1) {
    const got = Array.isArray(value) ? value : [value];
    for (let i = 0; i < expected.length; i++) {
      const diff = matchValue(got[i], expected[i]!, undefined, `result[${i}]`);
      if (diff !== undefined) return fail({ cause: 'wrong-result', detail: diff, hint: 'wrong result' });
    }
    return PASS;
  }
  const diff = matchValue(value, expected[0]!, type?.result);
  return diff === undefined ? PASS : fail({ cause: 'wrong-result', detail: diff, hint: `wrong result: ${normalizeReason(diff)}` });
}

function checkTrap(e: unknown, message: string, engine: Engine): Result {
  const cls = engine.classify(e);
  if (cls !== 'trap') return fail(failureFromError('not-a-trap', cls, e, `expected a trap "${message}", got `));
  const got = messageOf(e);
  if (got.includes(trapText(message))) return PASS;
  return fail({
    cause: 'wrong-message',
    detail: `trap message ${JSON.stringify(got)} does not contain ${JSON.stringify(message)}`,
    hint: `expected "${normalizeReason(trapText(message))}", got "${normalizeReason(reasonOf(e))}"`,
  });
}

/** `assert_invalid` / `assert_malformed`: something must reject the form. */
async function assertRejected(m: WastModule, message: string, engine: Engine, what: 'invalid' | 'malformed'): Promise<Result> {
  const b = await bytesOf(m, engine);
  if ('error' in b) return { ok: true, note: 'text-rejected' };
  if (m.kind === 'module') {
    return WebAssembly.validate(b.bytes as Uint8Array<ArrayBuffer>)
      ? fail({ cause: 'accepted-invalid', detail: `core module accepted; the suite expects "${message}"`, hint: `accepted ${what}` })
      : { ok: true, note: 'validation-rejected' };
  }
  try {
    engine.validate(b.bytes);
  } catch (e) {
    const cls = engine.classify(e);
    const messageMatches = messageOf(e).includes(message);
    if (cls === 'decode') return { ok: true, note: 'decode-rejected', messageMatches };
    if (cls === 'validation') return { ok: true, note: 'validation-rejected', messageMatches };
    return fail(failureFromError('crash', cls, e, 'validate: '));
  }
  return fail({
    cause: 'accepted-invalid',
    detail: `validate accepted it; the suite expects "${message}"`,
    hint: `accepted ${what}: expected "${normalizeReason(message)}"`,
  });
}
