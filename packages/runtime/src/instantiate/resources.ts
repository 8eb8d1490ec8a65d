/**
 * Resources as JS values.
 *
 * `@wasm-components/canonical-abi` represents an `own<R>`/`borrow<R>` on the
 * host side by the resource's rep (a `u32`). JS users expect objects instead
 * (`Explainer.md#resources`; jco does the same), so the runtime maps between
 * the two, once per value, only for types that contain resources:
 *
 * - A resource defined by a component (`(type (resource (rep i32) ...))`)
 *   reaches JS as an instance of a class generated per resource type (named
 *   after the exported type, PascalCase). It carries the rep; an `own`
 *   wrapper is consumed when passed back as `own` (a second use throws) and
 *   `[Symbol.dispose]()` drops it (calling the component's destructor).
 * - A resource imported from the host is any JS object the host chooses.
 *   Lowering it gives it a rep (a small integer in a per-type table); when
 *   the component drops its last `own` handle the object leaves the table
 *   and its `[Symbol.dispose]()` (if any) is called.
 *
 * @module
 */
import { HostValueError, type ResourceType, type ValType } from '@wasm-components/canonical-abi';
import { pascalCase } from './names.js';
import { type RuntimeInstance, runAsTask } from './task.js';

const symbolDispose: symbol = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose');

/** Private slots of a guest resource wrapper. */
const REP = Symbol('rep');
const STATE = Symbol('state');
const INFO = Symbol('resource');
/** Token that lets the runtime construct wrappers without calling the component's constructor. */
const INTERNAL = Symbol('internal');

type WrapperState = 'own' | 'borrow' | 'consumed';

interface Wrapper {
  [REP]: number;
  [STATE]: WrapperState;
  [INFO]: ResourceInfo;
}

/** A generated resource class: `new C(...args)` calls the component's `[constructor]`. */
export type ResourceClass = abstract new (...args: never[]) => object;

/**
 * Runtime information about one resource type (one per instantiation for
 * component-defined resources: resource types are generative).
 */
export class ResourceInfo {
  /** The canonical-abi resource type (identity is what handles are checked against). */
  readonly rt: ResourceType;
  /** True when the host implements the resource (an imported resource type). */
  readonly host: boolean;
  /** The name used for the generated class and messages. */
  name: string;
  /** The `[constructor]` export, once known. */
  ctor: ((...args: unknown[]) => unknown) | undefined = undefined;
  #cls: (new (...args: unknown[]) => object) | undefined = undefined;
  // Host resources: rep -> object and object -> rep.
  readonly #objects = new Map<number, unknown>();
  readonly #reps = new Map<unknown, number>();
  readonly #lentOnly = new Set<number>();
  #next = 1;

  /** Forgets a host object that was only lent (`borrow`) to a call that has ended. */
  releaseLent(rep: number): void {
    if (!this.#lentOnly.delete(rep)) return;
    const o = this.#objects.get(rep);
    this.#objects.delete(rep);
    this.#reps.delete(o);
  }

  constructor(rt: ResourceType, host: boolean, name: string) {
    this.rt = rt;
    this.host = host;
    this.name = name;
  }

  /** The class of this (component-defined) resource's JS wrappers, made on first use. */
  get cls(): new (...args: unknown[]) => object {
    let c = this.#cls;
    if (c === undefined) {
      c = makeClass(this);
      this.#cls = c;
      classInfos.set(c, this);
    }
    return c;
  }

  /** Host value -> rep, for `own` (`consume`) or `borrow`. */
  toRep(v: unknown, own: boolean): number {
    if (this.host) {
      let rep = this.#reps.get(v);
      if (rep === undefined) {
        rep = this.#next++;
        this.#reps.set(v, rep);
        this.#objects.set(rep, v);
        if (!own) {
          // Only lent for one call: forgotten again when the call ends.
          this.#lentOnly.add(rep);
          lent.push(this, rep);
        }
      } else if (own) {
        this.#lentOnly.delete(rep);
      }
      return rep;
    }
    if (typeof v !== 'object' || v === null || (v as Partial<Wrapper>)[INFO] !== this) {
      throw new HostValueError(`a ${this.name} resource (an instance of its class)`, describe(v), '');
    }
    const w = v as Wrapper;
    if (w[STATE] === 'consumed') {
      throw new HostValueError(`a live ${this.name} resource`, 'a resource that was moved or dropped, or a borrow whose call has ended', '');
    }
    if (own) {
      if (w[STATE] !== 'own') throw new HostValueError(`an owned ${this.name} resource`, 'a borrowed one', '');
      w[STATE] = 'consumed';
    }
    return w[REP];
  }

  /** Rep -> host value, for an `own` (the host now owns it) or a `borrow`. */
  fromRep(rep: number, own: boolean): unknown {
    if (this.host) {
      const o = this.#objects.get(rep);
      if (own) {
        this.#objects.delete(rep);
        this.#reps.delete(o);
      }
      return o;
    }
    const w = new this.cls(INTERNAL, rep, own ? 'own' : 'borrow');
    // A borrow is valid for the call it is lent to only: the wrapper is revoked when that call ends.
    if (!own) lent.push(w, -1);
    return w;
  }

  /**
   * The destructor the canonical ABI calls when a component drops the last
   * `own` handle of a host resource: forget the object and dispose it.
   */
  hostDrop(rep: number): void {
    const o = this.#objects.get(rep);
    this.#objects.delete(rep);
    this.#reps.delete(o);
    if (typeof o === 'object' && o !== null) {
      const d = (o as Record<symbol, unknown>)[symbolDispose];
      if (typeof d === 'function') (d as () => void).call(o);
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return `a ${typeof v}`;
}

function makeClass(info: ResourceInfo): new (...args: unknown[]) => object {
  const name = pascalCase(info.name) || 'Resource';
  const holder = {
    [name]: class {
      declare [REP]: number;
      declare [STATE]: WrapperState;
      declare [INFO]: ResourceInfo;
      constructor(...args: unknown[]) {
        if (args[0] === INTERNAL) {
          this[REP] = args[1] as number;
          this[STATE] = args[2] as WrapperState;
          this[INFO] = info;
          return;
        }
        const ctor = info.ctor;
        if (ctor === undefined) throw new TypeError(`resource ${info.name} has no exported constructor`);
        return ctor(...args) as this;
      }
      [symbolDispose](): void {
        if (this[STATE] !== 'own') {
          this[STATE] = 'consumed';
          return;
        }
        this[STATE] = 'consumed';
        const dtor = info.rt.dtor;
        const owner = info.rt.instance as RuntimeInstance | undefined;
        const rep = this[REP];
        // The host drops the resource: the destructor runs as a task of the defining instance.
        if (dtor !== undefined && owner !== undefined) runAsTask(owner, undefined, () => void dtor(rep));
      }
    },
  };
  return holder[name] as new (...args: unknown[]) => object;
}

const infos = new WeakMap<ResourceType, ResourceInfo>();

/**
 * What was lent to the calls in progress (a stack of pairs): host objects
 * given a rep only for a `borrow` (`[info, rep]`), and wrappers of borrowed
 * component resources handed to the host (`[wrapper, -1]`). When a call ends
 * the host objects are forgotten and the wrappers revoked.
 */
const lent: unknown[] = [];

/** Where the lent stack is now; pass it to {@link releaseLentSince} when the call ends. */
export function lentMark(): number {
  return lent.length;
}

/** Ends the loans made since `mark` (the call they were made for has ended). */
export function releaseLentSince(mark: number): void {
  for (let i = lent.length - 2; i >= mark; i -= 2) {
    const what = lent[i];
    const rep = lent[i + 1] as number;
    if (rep === -1) (what as Wrapper)[STATE] = 'consumed';
    else (what as ResourceInfo).releaseLent(rep);
  }
  lent.length = mark;
}
const classInfos = new WeakMap<object, ResourceInfo>();

/**
 * The resource type behind a class this runtime generated for an exported
 * resource, so that passing one instance's exports as another's imports
 * keeps the resource type's identity.
 */
export function resourceInfoOfClass(cls: unknown): ResourceInfo | undefined {
  return typeof cls === 'function' ? classInfos.get(cls) : undefined;
}

/** Creates a component-defined resource type owned by `inst`. */
export function guestResource(inst: RuntimeInstance, name: string, dtor?: (rep: number) => void): ResourceInfo {
  const rt: ResourceType = dtor === undefined ? { kind: 'resource', name, instance: inst } : { kind: 'resource', name, instance: inst, dtor };
  const info = new ResourceInfo(rt, false, name);
  infos.set(rt, info);
  return info;
}

/** Creates a host-implemented resource type (an imported resource). */
export function hostResource(name: string): ResourceInfo {
  let info: ResourceInfo | undefined;
  const rt: ResourceType = { kind: 'resource', name, dtor: (rep: number) => (info as ResourceInfo).hostDrop(rep) };
  info = new ResourceInfo(rt, true, name);
  infos.set(rt, info);
  return info;
}

/** The {@link ResourceInfo} of a resource type made by this runtime. */
export function resourceInfo(rt: ResourceType): ResourceInfo {
  const i = infos.get(rt);
  if (i === undefined) throw new Error('internal error: resource type not created by the runtime');
  return i;
}

/** Maps one value between the canonical-abi and the JS-user representations. */
export type ValueMapper = (v: unknown) => unknown;

const toUserCache = new WeakMap<ValType, ValueMapper | null>();
const toAbiCache = new WeakMap<ValType, ValueMapper | null>();

/**
 * The mapper from the canonical-abi representation (reps) to the user's
 * (resource objects), or undefined when `ty` contains no resource (then the
 * two representations are the same and nothing needs to run).
 */
export function toUserMapper(ty: ValType): ValueMapper | undefined {
  return mapper(ty, true);
}

/** The mapper from the user's representation to canonical-abi's, or undefined when `ty` has no resource. */
export function toAbiMapper(ty: ValType): ValueMapper | undefined {
  return mapper(ty, false);
}

function mapper(ty: ValType, toUser: boolean): ValueMapper | undefined {
  const cache = toUser ? toUserCache : toAbiCache;
  const c = cache.get(ty);
  if (c !== undefined) return c ?? undefined;
  const m = build(ty, toUser);
  cache.set(ty, m ?? null);
  return m;
}

function build(ty: ValType, toUser: boolean): ValueMapper | undefined {
  switch (ty.kind) {
    case 'own':
    case 'borrow': {
      const info = resourceInfo(ty.resource);
      const own = ty.kind === 'own';
      return toUser ? (v) => info.fromRep(v as number, own) : (v) => info.toRep(v, own);
    }
    case 'list': {
      const m = mapper(ty.elem, toUser);
      if (m === undefined) return undefined;
      return (v) => Array.from(v as ArrayLike<unknown>, m);
    }
    case 'option': {
      const m = mapper(ty.type, toUser);
      if (m === undefined) return undefined;
      if (ty.type.kind === 'option') {
        return (v) => {
          if (v === undefined || v === null) return v;
          const s = v as { tag: string; val?: unknown };
          return { tag: s.tag, val: m(s.val) };
        };
      }
      return (v) => (v === undefined || v === null ? v : m(v));
    }
    case 'result': {
      const ok = ty.ok === undefined ? undefined : mapper(ty.ok, toUser);
      const err = ty.err === undefined ? undefined : mapper(ty.err, toUser);
      if (ok === undefined && err === undefined) return undefined;
      return (v) => {
        const r = v as { tag: string; val?: unknown };
        const m = r.tag === 'ok' ? ok : err;
        return m === undefined ? r : { tag: r.tag, val: m(r.val) };
      };
    }
    case 'variant': {
      const ms = new Map<string, ValueMapper>();
      for (const c of ty.cases) {
        const m = c.type === undefined ? undefined : mapper(c.type, toUser);
        if (m !== undefined) ms.set(c.label, m);
      }
      if (ms.size === 0) return undefined;
      return (v) => {
        const r = v as { tag: string; val?: unknown };
        const m = ms.get(r.tag);
        return m === undefined ? r : { tag: r.tag, val: m(r.val) };
      };
    }
    case 'record': {
      const ms: [string, ValueMapper][] = [];
      for (const f of ty.fields) {
        const m = mapper(f.type, toUser);
        if (m !== undefined) ms.push([f.label, m]);
      }
      if (ms.length === 0) return undefined;
      return (v) => {
        const o = { ...(v as Record<string, unknown>) };
        for (const [k, m] of ms) o[k] = m(o[k]);
        return o;
      };
    }
    case 'tuple': {
      const ms = ty.types.map((t) => mapper(t, toUser));
      if (ms.every((m) => m === undefined)) return undefined;
      return (v) => Array.from(v as ArrayLike<unknown>, (x, i) => {
        const m = ms[i];
        return m === undefined ? x : m(x);
      });
    }
    case 'map': {
      const km = mapper(ty.key, toUser);
      const vm = mapper(ty.value, toUser);
      if (km === undefined && vm === undefined) return undefined;
      const k = km ?? ((x: unknown) => x);
      const w = vm ?? ((x: unknown) => x);
      // A `Map` stays a `Map`; a pair array (a map passed between components,
      // duplicates kept) stays a pair array.
      return (v) => {
        if (!(v instanceof Map)) return Array.from(v as Iterable<[unknown, unknown]>, ([a, b]) => [k(a), w(b)]);
        const out = new Map<unknown, unknown>();
        for (const [a, b] of v) out.set(k(a), w(b));
        return out;
      };
    }
    default:
      return undefined;
  }
}
