/**
 * The Component Model value-type model used by the Canonical ABI.
 *
 * It is deliberately independent of any binary AST: a runtime builds these
 * from a decoded component, a WIT-driven tool from WIT, a test by hand with
 * the {@link t} constructors. Types are plain immutable data; the compiled
 * lifting/lowering code is cached per type object (by identity), so build a
 * type once and reuse it.
 *
 * See `Explainer.md#type-definitions` and `CanonicalABI.md#supporting-definitions`.
 *
 * @module
 */

/** A primitive value type (no type arguments). */
export type PrimValType =
  | { readonly kind: 'bool' }
  | { readonly kind: 's8' }
  | { readonly kind: 'u8' }
  | { readonly kind: 's16' }
  | { readonly kind: 'u16' }
  | { readonly kind: 's32' }
  | { readonly kind: 'u32' }
  | { readonly kind: 's64' }
  | { readonly kind: 'u64' }
  | { readonly kind: 'f32' }
  | { readonly kind: 'f64' }
  | { readonly kind: 'char' }
  | { readonly kind: 'string' };

/** `kind` of a {@link PrimValType}. */
export type PrimKind = PrimValType['kind'];

/** `list<T>`, or the fixed-length `list<T, N>` when `length` is present. */
export interface ListType {
  readonly kind: 'list';
  readonly elem: ValType;
  /** Present for a fixed-length list (`list<T, N>`, N > 0). */
  readonly length?: number;
}
/** `map<K, V>`: lowered like `list<tuple<K, V>>`. */
export interface MapType {
  readonly kind: 'map';
  readonly key: ValType;
  readonly value: ValType;
}
/** One field of a {@link RecordType}. */
export interface Field {
  readonly label: string;
  readonly type: ValType;
}
/** `record { ... }`. */
export interface RecordType {
  readonly kind: 'record';
  readonly fields: readonly Field[];
}
/** `tuple<...>`: despecializes to a record with fields "0", "1", ... */
export interface TupleType {
  readonly kind: 'tuple';
  readonly types: readonly ValType[];
}
/** One case of a {@link VariantType}; `type` absent for a case without payload. */
export interface Case {
  readonly label: string;
  readonly type?: ValType;
}
/** `variant { ... }`. */
export interface VariantType {
  readonly kind: 'variant';
  readonly cases: readonly Case[];
}
/** `enum { ... }`: despecializes to a variant of payload-less cases. */
export interface EnumType {
  readonly kind: 'enum';
  readonly labels: readonly string[];
}
/** `option<T>`: despecializes to `variant { none, some(T) }`. */
export interface OptionType {
  readonly kind: 'option';
  readonly type: ValType;
}
/** `result<ok, err>`: despecializes to `variant { ok(ok?), error(err?) }`. */
export interface ResultType {
  readonly kind: 'result';
  readonly ok?: ValType;
  readonly err?: ValType;
}
/** `flags { ... }`: a bit set, at most 32 labels. */
export interface FlagsType {
  readonly kind: 'flags';
  readonly labels: readonly string[];
}
/** `own<R>`: an owned handle to a resource of type `resource`. */
export interface OwnType {
  readonly kind: 'own';
  readonly resource: ResourceType;
}
/** `borrow<R>`: a handle lent for the duration of a call. */
export interface BorrowType {
  readonly kind: 'borrow';
  readonly resource: ResourceType;
}
/** `stream<T>` (or `stream` without element type). Lifted/lowered through {@link AsyncHooks}. */
export interface StreamType {
  readonly kind: 'stream';
  readonly elem?: ValType;
}
/** `future<T>` (or `future`). Lifted/lowered through {@link AsyncHooks}. */
export interface FutureType {
  readonly kind: 'future';
  readonly elem?: ValType;
}
/** `error-context`. Lifted/lowered through {@link AsyncHooks}. */
export interface ErrorContextType {
  readonly kind: 'error-context';
}

/** Any component value type. Discriminated by `kind`. */
export type ValType =
  | PrimValType
  | ListType
  | MapType
  | RecordType
  | TupleType
  | VariantType
  | EnumType
  | OptionType
  | ResultType
  | FlagsType
  | OwnType
  | BorrowType
  | StreamType
  | FutureType
  | ErrorContextType;

/** `kind` of any {@link ValType}. */
export type ValTypeKind = ValType['kind'];

/**
 * A resource type: identity matters (two `resource` definitions are different
 * types even with the same name), so compare by object identity.
 * `dtor` is called with the representation when the last owning handle is
 * dropped (`canon resource.drop`); `instance` is the state of the component
 * instance that implements the resource (the spec's `ResourceType.impl`).
 */
export interface ResourceType {
  readonly kind: 'resource';
  readonly name?: string;
  readonly dtor?: (rep: number) => void | Promise<void>;
  readonly instance?: unknown;
}

/** One named parameter of a {@link FuncType}. */
export interface Param {
  readonly name: string;
  readonly type: ValType;
}

/** A component function type: named params, at most one result, sync or async. */
export interface FuncType {
  readonly params: readonly Param[];
  readonly result?: ValType;
  readonly async: boolean;
}

/** Signature of {@link t}: constructors for every value type. */
export interface TypeConstructors {
  readonly bool: { readonly kind: 'bool' };
  readonly s8: { readonly kind: 's8' };
  readonly u8: { readonly kind: 'u8' };
  readonly s16: { readonly kind: 's16' };
  readonly u16: { readonly kind: 'u16' };
  readonly s32: { readonly kind: 's32' };
  readonly u32: { readonly kind: 'u32' };
  readonly s64: { readonly kind: 's64' };
  readonly u64: { readonly kind: 'u64' };
  readonly f32: { readonly kind: 'f32' };
  readonly f64: { readonly kind: 'f64' };
  readonly char: { readonly kind: 'char' };
  readonly string: { readonly kind: 'string' };
  readonly errorContext: ErrorContextType;
  /** `list<elem>` or, with `length`, `list<elem, length>`. */
  list(elem: ValType, length?: number): ListType;
  map(key: ValType, value: ValType): MapType;
  /**
   * Fields in the object's own key order. (JS puts integer-like keys such as
   * "0" first; component labels never look like that, but build the
   * `RecordType` by hand if you need such labels in another order.)
   */
  record(fields: Readonly<Record<string, ValType>>): RecordType;
  tuple(...types: ValType[]): TupleType;
  /** Cases in key order; `null`/`undefined` means no payload. */
  variant(cases: Readonly<Record<string, ValType | null | undefined>>): VariantType;
  enum(...labels: string[]): EnumType;
  option(type: ValType): OptionType;
  result(ok?: ValType | null, err?: ValType | null): ResultType;
  flags(...labels: string[]): FlagsType;
  own(resource: ResourceType): OwnType;
  borrow(resource: ResourceType): BorrowType;
  stream(elem?: ValType): StreamType;
  future(elem?: ValType): FutureType;
  /** A fresh resource type (identity is the type). */
  resource(name?: string, dtor?: (rep: number) => void | Promise<void>): ResourceType;
  /** A function type; `params` in key order. */
  func(params: Readonly<Record<string, ValType>>, result?: ValType, options?: { async?: boolean }): FuncType;
}

/**
 * Constructors for value types. The primitive entries are shared singletons,
 * so `t.u32` is always the same object (good for the per-type cache).
 *
 * @example
 * const point = t.record({ x: t.f64, y: t.f64 });
 * const ft = t.func({ points: t.list(point) }, t.u32);
 */
export const t: TypeConstructors = {
  bool: { kind: 'bool' },
  s8: { kind: 's8' },
  u8: { kind: 'u8' },
  s16: { kind: 's16' },
  u16: { kind: 'u16' },
  s32: { kind: 's32' },
  u32: { kind: 'u32' },
  s64: { kind: 's64' },
  u64: { kind: 'u64' },
  f32: { kind: 'f32' },
  f64: { kind: 'f64' },
  char: { kind: 'char' },
  string: { kind: 'string' },
  errorContext: { kind: 'error-context' },
  list: (elem, length) => (length === undefined ? { kind: 'list', elem } : { kind: 'list', elem, length }),
  map: (key, value) => ({ kind: 'map', key, value }),
  record: (fields) => ({ kind: 'record', fields: Object.entries(fields).map(([label, type]) => ({ label, type })) }),
  tuple: (...types) => ({ kind: 'tuple', types }),
  variant: (cases) => ({
    kind: 'variant',
    cases: Object.entries(cases).map(([label, type]) => (type == null ? { label } : { label, type })),
  }),
  enum: (...labels) => ({ kind: 'enum', labels }),
  option: (type) => ({ kind: 'option', type }),
  result: (ok, err) => {
    if (ok == null) return err == null ? { kind: 'result' } : { kind: 'result', err };
    return err == null ? { kind: 'result', ok } : { kind: 'result', ok, err };
  },
  flags: (...labels) => ({ kind: 'flags', labels }),
  own: (resource) => ({ kind: 'own', resource }),
  borrow: (resource) => ({ kind: 'borrow', resource }),
  stream: (elem) => (elem === undefined ? { kind: 'stream' } : { kind: 'stream', elem }),
  future: (elem) => (elem === undefined ? { kind: 'future' } : { kind: 'future', elem }),
  resource: (name, dtor) => {
    const r: { kind: 'resource'; name?: string; dtor?: (rep: number) => void | Promise<void> } = { kind: 'resource' };
    if (name !== undefined) r.name = name;
    if (dtor !== undefined) r.dtor = dtor;
    return r;
  },
  func: (params, result, options) => {
    const ps = Object.entries(params).map(([name, type]) => ({ name, type }));
    const isAsync = options?.async === true;
    return result === undefined ? { params: ps, async: isAsync } : { params: ps, result, async: isAsync };
  },
};

/** Writes a type in WIT-like syntax, for error messages and test names. */
export function typeToString(ty: ValType): string {
  switch (ty.kind) {
    case 'list':
      return ty.length === undefined ? `list<${typeToString(ty.elem)}>` : `list<${typeToString(ty.elem)}, ${ty.length}>`;
    case 'map':
      return `map<${typeToString(ty.key)}, ${typeToString(ty.value)}>`;
    case 'record':
      return `record { ${ty.fields.map((f) => `${f.label}: ${typeToString(f.type)}`).join(', ')} }`;
    case 'tuple':
      return `tuple<${ty.types.map(typeToString).join(', ')}>`;
    case 'variant':
      return `variant { ${ty.cases.map((c) => (c.type === undefined ? c.label : `${c.label}(${typeToString(c.type)})`)).join(', ')} }`;
    case 'enum':
      return `enum { ${ty.labels.join(', ')} }`;
    case 'option':
      return `option<${typeToString(ty.type)}>`;
    case 'result':
      return `result<${ty.ok === undefined ? '_' : typeToString(ty.ok)}, ${ty.err === undefined ? '_' : typeToString(ty.err)}>`;
    case 'flags':
      return `flags { ${ty.labels.join(', ')} }`;
    case 'own':
    case 'borrow':
      return `${ty.kind}<${ty.resource.name ?? 'resource'}>`;
    case 'stream':
    case 'future':
      return ty.elem === undefined ? ty.kind : `${ty.kind}<${typeToString(ty.elem)}>`;
    default:
      return ty.kind;
  }
}
