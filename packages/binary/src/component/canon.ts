/**
 * Canonical definitions (`Binary.md#canonical-definitions`): one entry of a
 * component's canon section (id 8) and the canonical options they carry.
 *
 * Each definition is a node whose `kind` is the built-in's name in the text
 * format (`lift`, `lower`, `resource.new`, `stream.read`, `thread.index`...),
 * so a tool reading the AST and a person reading the WAT use the same words.
 * The opcode table follows what wasmparser 0.254 reads (the practical
 * reference of the newest format); the byte of each definition is in
 * {@link CanonOpcode}.
 *
 * The decoder accepts exactly the current grammar: the removed opcodes
 * `0x07` (formerly `resource.drop async`; binary.wast at 6d28164 calls it
 * unallocated) and `0x08` (formerly `backpressure.set`, replaced by
 * `backpressure.inc`/`.dec` at `0x24`/`0x25`) are malformed, as in wasmparser
 * 0.254.
 *
 * The `cancel?` byte of the blocking built-ins (`thread.yield`,
 * `thread.suspend*`, `waitable-set.wait`/`.poll`) is `0x00` or `0x01`
 * (`cancellable`), any other value is malformed. `0x01` is current grammar
 * at the spec commit this package follows (6d28164: binary.wast uses it in a
 * well-formed component, async/cancellable.wast exercises it), although
 * wasmparser 0.254 rejects it ("historically accepted as `cancellable` until
 * component-model#716"); it is recorded as `cancellable`.
 *
 * @module
 */
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { EncodeError } from '../errors.js';
import { hex } from '../reader.js';
import { type ValType, readValType, writeValType } from '../core/types.js';
import { type ComponentValType, readComponentValType, writeComponentValType } from './types.js';

// ---------------------------------------------------------------------------
// Canonical options
// ---------------------------------------------------------------------------

/** The three string encodings a lift or lower can use (`canonopt` `0x00`..`0x02`). */
export type StringEncoding = 'utf8' | 'utf16' | 'latin1+utf16';

/**
 * One canonical option (`canonopt`). Options with an index name a core
 * memory (`memory`), a core function (`realloc`, `post-return`, `callback`)
 * or a core type (`core-type`, for the GC ABI).
 */
export type CanonOpt =
  | { readonly kind: 'string-encoding'; readonly encoding: StringEncoding }
  | { readonly kind: 'memory'; readonly index: number }
  | { readonly kind: 'realloc'; readonly index: number }
  | { readonly kind: 'post-return'; readonly index: number }
  | { readonly kind: 'async' }
  | { readonly kind: 'callback'; readonly index: number }
  | { readonly kind: 'core-type'; readonly index: number }
  | { readonly kind: 'gc' };

/** Binary codes of the canonical options. */
export const CanonOptCode = {
  utf8: 0x00,
  utf16: 0x01,
  'latin1+utf16': 0x02,
  memory: 0x03,
  realloc: 0x04,
  'post-return': 0x05,
  async: 0x06,
  callback: 0x07,
  'core-type': 0x08,
  gc: 0x09,
} as const;

/** Read one `canonopt`. */
export function readCanonOpt(r: Reader): CanonOpt {
  const at = r.pos;
  const b = r.u8('canonical option');
  switch (b) {
    case 0x00:
      return { kind: 'string-encoding', encoding: 'utf8' };
    case 0x01:
      return { kind: 'string-encoding', encoding: 'utf16' };
    case 0x02:
      return { kind: 'string-encoding', encoding: 'latin1+utf16' };
    case 0x03:
      return { kind: 'memory', index: r.u32('core memory index') };
    case 0x04:
      return { kind: 'realloc', index: r.u32('core func index') };
    case 0x05:
      return { kind: 'post-return', index: r.u32('core func index') };
    case 0x06:
      return { kind: 'async' };
    case 0x07:
      return { kind: 'callback', index: r.u32('core func index') };
    case 0x08:
      return { kind: 'core-type', index: r.u32('core type index') };
    case 0x09:
      return { kind: 'gc' };
    default:
      return r.fail('canonical option (0x00..0x09)', hex(b), at);
  }
}

/** Write one `canonopt`. */
export function writeCanonOpt(w: Writer, o: CanonOpt): void {
  switch (o.kind) {
    case 'string-encoding': {
      const code = CanonOptCode[o.encoding];
      if (code === undefined || code > 0x02) throw new EncodeError(`unknown string encoding ${String(o.encoding)}`);
      w.u8(code);
      return;
    }
    case 'memory':
    case 'realloc':
    case 'post-return':
    case 'callback':
    case 'core-type':
      w.u8(CanonOptCode[o.kind]).u32(o.index);
      return;
    case 'async':
    case 'gc':
      w.u8(CanonOptCode[o.kind]);
      return;
    default:
      throw new EncodeError(`unknown canonical option ${String((o as { kind?: unknown }).kind)}`);
  }
}

/** Read `opts` (a vector of `canonopt`). */
export function readCanonOpts(r: Reader): readonly CanonOpt[] {
  const n = r.count('canonical options', 1);
  const out: CanonOpt[] = [];
  for (let i = 0; i < n; i++) out.push(readCanonOpt(r));
  return out;
}

/** Write `opts` (a vector of `canonopt`). */
export function writeCanonOpts(w: Writer, opts: readonly CanonOpt[]): void {
  w.u32(opts.length);
  for (const o of opts) writeCanonOpt(w, o);
}

// ---------------------------------------------------------------------------
// Canonical definitions
// ---------------------------------------------------------------------------

/** Leading byte of each canonical definition, keyed by the built-in's text name. */
export const CanonOpcode = {
  lift: 0x00,
  lower: 0x01,
  'resource.new': 0x02,
  'resource.drop': 0x03,
  'resource.rep': 0x04,
  'task.cancel': 0x05,
  'subtask.cancel': 0x06,
  'task.return': 0x09,
  'context.get': 0x0a,
  'context.set': 0x0b,
  'thread.yield': 0x0c,
  'subtask.drop': 0x0d,
  'stream.new': 0x0e,
  'stream.read': 0x0f,
  'stream.write': 0x10,
  'stream.cancel-read': 0x11,
  'stream.cancel-write': 0x12,
  'stream.drop-readable': 0x13,
  'stream.drop-writable': 0x14,
  'future.new': 0x15,
  'future.read': 0x16,
  'future.write': 0x17,
  'future.cancel-read': 0x18,
  'future.cancel-write': 0x19,
  'future.drop-readable': 0x1a,
  'future.drop-writable': 0x1b,
  'error-context.new': 0x1c,
  'error-context.debug-message': 0x1d,
  'error-context.drop': 0x1e,
  'waitable-set.new': 0x1f,
  'waitable-set.wait': 0x20,
  'waitable-set.poll': 0x21,
  'waitable-set.drop': 0x22,
  'waitable.join': 0x23,
  'backpressure.inc': 0x24,
  'backpressure.dec': 0x25,
  'thread.index': 0x26,
  'thread.new-indirect': 0x27,
  'thread.resume-later': 0x28,
  'thread.suspend': 0x29,
  'thread.suspend-then-resume': 0x2a,
  'thread.yield-then-resume': 0x2b,
  'thread.suspend-then-promote': 0x2c,
  'thread.yield-then-promote': 0x2d,
  'thread.spawn-ref': 0x40,
  'thread.spawn-indirect': 0x41,
  'thread.available-parallelism': 0x42,
} as const;

/** Built-ins that take no immediates at all. */
export type NullaryCanonKind =
  | 'task.cancel'
  | 'backpressure.inc'
  | 'backpressure.dec'
  | 'subtask.drop'
  | 'error-context.drop'
  | 'waitable-set.new'
  | 'waitable-set.drop'
  | 'waitable.join'
  | 'thread.index'
  | 'thread.resume-later'
  | 'thread.available-parallelism';

/** Built-ins whose only immediate is a component type index (a stream, future or resource type). */
export type TypedCanonKind =
  | 'resource.new'
  | 'resource.drop'
  | 'resource.rep'
  | 'stream.new'
  | 'stream.drop-readable'
  | 'stream.drop-writable'
  | 'future.new'
  | 'future.drop-readable'
  | 'future.drop-writable';

/** Built-ins with a type index and canonical options (the copying stream and future operations). */
export type TypedOptsCanonKind = 'stream.read' | 'stream.write' | 'future.read' | 'future.write';

/** Built-ins with a type index and an `async?` flag byte (cancelling a pending copy). */
export type TypedAsyncCanonKind = 'stream.cancel-read' | 'stream.cancel-write' | 'future.cancel-read' | 'future.cancel-write';

/**
 * Built-ins whose only immediate is the `cancel?` byte: `0x00`, or `0x01`
 * for `cancellable` (current at spec 6d28164, rejected by wasmparser 0.254).
 */
export type CancelCanonKind =
  | 'thread.yield'
  | 'thread.suspend'
  | 'thread.suspend-then-resume'
  | 'thread.yield-then-resume'
  | 'thread.suspend-then-promote'
  | 'thread.yield-then-promote';

/**
 * One canonical definition (`canon`). Index fields name the space they index:
 * `func` is a core func for `lift` and a component func for `lower`; `type`
 * is a component type for the resource/stream/future built-ins and `lift`,
 * and a core type for `thread.new-indirect` and `thread.spawn-*`.
 */
export type CanonicalFunction =
  | { readonly kind: 'lift'; readonly func: number; readonly options: readonly CanonOpt[]; readonly type: number }
  | { readonly kind: 'lower'; readonly func: number; readonly options: readonly CanonOpt[] }
  | { readonly kind: NullaryCanonKind }
  | { readonly kind: TypedCanonKind; readonly type: number }
  | { readonly kind: TypedOptsCanonKind; readonly type: number; readonly options: readonly CanonOpt[] }
  | { readonly kind: TypedAsyncCanonKind; readonly type: number; readonly async: boolean }
  | { readonly kind: 'subtask.cancel'; readonly async: boolean }
  /** `result` absent is the `0x01 0x00` form (no result); present is `0x00 t`. */
  | { readonly kind: 'task.return'; readonly result?: ComponentValType; readonly options: readonly CanonOpt[] }
  | { readonly kind: 'context.get' | 'context.set'; readonly type: ValType; readonly index: number }
  /** `cancellable` is the `0x01` value of the `cancel?` byte. */
  | { readonly kind: CancelCanonKind; readonly cancellable: boolean }
  | { readonly kind: 'waitable-set.wait' | 'waitable-set.poll'; readonly cancellable: boolean; readonly memory: number }
  | { readonly kind: 'error-context.new' | 'error-context.debug-message'; readonly options: readonly CanonOpt[] }
  | { readonly kind: 'thread.new-indirect' | 'thread.spawn-indirect'; readonly type: number; readonly table: number }
  | { readonly kind: 'thread.spawn-ref'; readonly type: number };

/** Every `kind` a {@link CanonicalFunction} can have. */
export type CanonKind = CanonicalFunction['kind'];

const NULLARY: ReadonlySet<string> = new Set<NullaryCanonKind>([
  'task.cancel',
  'backpressure.inc',
  'backpressure.dec',
  'subtask.drop',
  'error-context.drop',
  'waitable-set.new',
  'waitable-set.drop',
  'waitable.join',
  'thread.index',
  'thread.resume-later',
  'thread.available-parallelism',
]);
const TYPED: ReadonlySet<string> = new Set<TypedCanonKind>([
  'resource.new',
  'resource.drop',
  'resource.rep',
  'stream.new',
  'stream.drop-readable',
  'stream.drop-writable',
  'future.new',
  'future.drop-readable',
  'future.drop-writable',
]);
const TYPED_OPTS: ReadonlySet<string> = new Set<TypedOptsCanonKind>(['stream.read', 'stream.write', 'future.read', 'future.write']);
const TYPED_ASYNC: ReadonlySet<string> = new Set<TypedAsyncCanonKind>([
  'stream.cancel-read',
  'stream.cancel-write',
  'future.cancel-read',
  'future.cancel-write',
]);
const CANCEL: ReadonlySet<string> = new Set<CancelCanonKind>([
  'thread.yield',
  'thread.suspend',
  'thread.suspend-then-resume',
  'thread.yield-then-resume',
  'thread.suspend-then-promote',
  'thread.yield-then-promote',
]);

const kindByOpcode: ReadonlyMap<number, string> = new Map(Object.entries(CanonOpcode).map(([k, v]) => [v, k]));

function readBool(r: Reader, what: string): boolean {
  const at = r.pos;
  const b = r.u8(what);
  if (b === 0) return false;
  if (b === 1) return true;
  return r.fail(`${what}: 0x00 or 0x01`, hex(b), at);
}

/** Read the `cancel?` byte of the blocking built-ins: `0x00`, or `0x01` for `cancellable`. */
function readCancel(r: Reader): boolean {
  const at = r.pos;
  const b = r.u8('cancel? byte');
  if (b === 0) return false;
  if (b === 1) return true;
  return r.fail('cancel? byte (0x00, or 0x01 cancellable)', hex(b), at);
}

/** The opcodes removed from the grammar, for a precise error message. */
const REMOVED_OPCODES: ReadonlyMap<number, string> = new Map([
  [0x07, '0x07 (resource.drop async) was removed'],
  [0x08, '0x08 (backpressure.set) was removed; use backpressure.inc 0x24 / backpressure.dec 0x25'],
]);

/** Read one canonical definition. */
export function readCanon(r: Reader): CanonicalFunction {
  const at = r.pos;
  const op = r.u8('canonical function opcode');
  const kind = kindByOpcode.get(op);
  if (kind === undefined) {
    const removed = REMOVED_OPCODES.get(op);
    return r.fail(removed === undefined ? 'canonical function opcode' : `canonical function opcode; ${removed}`, hex(op), at);
  }
  switch (kind) {
    case 'lift': {
      r.expectByte(0x00, 'core func sort 0x00 after canon lift');
      const func = r.u32('core func index');
      const options = readCanonOpts(r);
      return { kind: 'lift', func, options, type: r.u32('type index') };
    }
    case 'lower': {
      r.expectByte(0x00, 'func sort 0x00 after canon lower');
      const func = r.u32('func index');
      return { kind: 'lower', func, options: readCanonOpts(r) };
    }
    case 'subtask.cancel':
      return { kind: 'subtask.cancel', async: readBool(r, 'async? flag') };
    case 'task.return': {
      const fat = r.pos;
      const form = r.u8('task.return result list');
      let result: ComponentValType | undefined;
      if (form === 0x00) result = readComponentValType(r);
      else if (form === 0x01) r.expectByte(0x00, 'empty named result list (0x01 0x00) of task.return');
      else r.fail('task.return result list (0x00 t or 0x01 0x00)', hex(form), fat);
      const options = readCanonOpts(r);
      return result === undefined ? { kind: 'task.return', options } : { kind: 'task.return', result, options };
    }
    case 'context.get':
    case 'context.set': {
      const type = readValType(r);
      return { kind, type, index: r.u32('context slot index') };
    }
    case 'waitable-set.wait':
    case 'waitable-set.poll': {
      const cancellable = readCancel(r);
      return { kind, cancellable, memory: r.u32('core memory index') };
    }
    case 'error-context.new':
    case 'error-context.debug-message':
      return { kind, options: readCanonOpts(r) };
    case 'thread.new-indirect':
    case 'thread.spawn-indirect': {
      const type = r.u32('core type index');
      return { kind, type, table: r.u32('core table index') };
    }
    case 'thread.spawn-ref':
      return { kind, type: r.u32('core type index') };
    default:
      break;
  }
  if (NULLARY.has(kind)) return { kind: kind as NullaryCanonKind };
  if (TYPED.has(kind)) return { kind: kind as TypedCanonKind, type: r.u32('type index') };
  if (TYPED_OPTS.has(kind)) {
    const type = r.u32('type index');
    return { kind: kind as TypedOptsCanonKind, type, options: readCanonOpts(r) };
  }
  if (TYPED_ASYNC.has(kind)) {
    const type = r.u32('type index');
    return { kind: kind as TypedAsyncCanonKind, type, async: readBool(r, 'async? flag') };
  }
  if (CANCEL.has(kind)) return { kind: kind as CancelCanonKind, cancellable: readCancel(r) };
  /* c8 ignore next */
  return r.fail('canonical function opcode', hex(op), at);
}

/** Write one canonical definition. */
export function writeCanon(w: Writer, c: CanonicalFunction): void {
  const kind: string = c.kind;
  switch (c.kind) {
    case 'lift':
      w.u8(CanonOpcode.lift).u8(0x00).u32(c.func);
      writeCanonOpts(w, c.options);
      w.u32(c.type);
      return;
    case 'lower':
      w.u8(CanonOpcode.lower).u8(0x00).u32(c.func);
      writeCanonOpts(w, c.options);
      return;
    case 'subtask.cancel':
      w.u8(CanonOpcode['subtask.cancel']).u8(c.async ? 1 : 0);
      return;
    case 'task.return':
      w.u8(CanonOpcode['task.return']);
      if (c.result === undefined) w.u8(0x01).u8(0x00);
      else {
        w.u8(0x00);
        writeComponentValType(w, c.result);
      }
      writeCanonOpts(w, c.options);
      return;
    case 'context.get':
    case 'context.set':
      w.u8(CanonOpcode[c.kind]);
      writeValType(w, c.type);
      w.u32(c.index);
      return;
    case 'waitable-set.wait':
    case 'waitable-set.poll':
      w.u8(CanonOpcode[c.kind]).u8(c.cancellable ? 1 : 0).u32(c.memory);
      return;
    case 'error-context.new':
    case 'error-context.debug-message':
      w.u8(CanonOpcode[c.kind]);
      writeCanonOpts(w, c.options);
      return;
    case 'thread.new-indirect':
    case 'thread.spawn-indirect':
      w.u8(CanonOpcode[c.kind]).u32(c.type).u32(c.table);
      return;
    case 'thread.spawn-ref':
      w.u8(CanonOpcode[c.kind]).u32(c.type);
      return;
    default:
      break;
  }
  const code = (CanonOpcode as Record<string, number>)[kind];
  if (code === undefined) throw new EncodeError(`unknown canonical function ${String(kind)}`);
  const any = c as { type?: number; options?: readonly CanonOpt[]; async?: boolean; cancellable?: boolean };
  if (NULLARY.has(kind)) {
    w.u8(code);
  } else if (TYPED.has(kind)) {
    w.u8(code).u32(any.type!);
  } else if (TYPED_OPTS.has(kind)) {
    w.u8(code).u32(any.type!);
    writeCanonOpts(w, any.options!);
  } else if (TYPED_ASYNC.has(kind)) {
    w.u8(code).u32(any.type!).u8(any.async === true ? 1 : 0);
  } else if (CANCEL.has(kind)) {
    w.u8(code).u8(any.cancellable === true ? 1 : 0);
  } else {
    throw new EncodeError(`unknown canonical function ${String(kind)}`);
  }
}
