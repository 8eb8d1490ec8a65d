import { describe, expect, it } from 'vitest';
import { instantiate, isTrap } from '../index.js';
import { wat } from './test-util.js';

const GUEST = `(component
  (core module $Dtor
    (global $drops (mut i32) (i32.const 0))
    (func (export "dtor") (param i32) global.get $drops i32.const 1 i32.add global.set $drops)
    (func (export "drops") (result i32) global.get $drops))
  (core instance $d (instantiate $Dtor))
  (type $counter (resource (rep i32) (dtor (core func $d "dtor"))))
  (core func $new (canon resource.new $counter))
  (core func $rep (canon resource.rep $counter))
  (core func $drop (canon resource.drop $counter))
  (core module $Impl
    (import "canon" "new" (func $new (param i32) (result i32)))
    (import "canon" "rep" (func $rep (param i32) (result i32)))
    (import "canon" "drop" (func $drop (param i32)))
    (func (export "ctor") (param i32) (result i32) local.get 0 call $new)
    (func (export "get") (param i32) (result i32) local.get 0)
    (func (export "consume") (param i32) (result i32) (local $r i32)
      local.get 0 call $rep local.set $r local.get 0 call $drop local.get $r)
    (func (export "bad-rep") (param i32) (result i32) local.get 0 call $rep))
  (core instance $i (instantiate $Impl (with "canon" (instance
    (export "new" (func $new)) (export "rep" (func $rep)) (export "drop" (func $drop))))))
  (export $c "counter" (type $counter))
  (func (export "[constructor]counter") (param "v" u32) (result (own $c)) (canon lift (core func $i "ctor")))
  (func (export "[method]counter.get") (param "self" (borrow $c)) (result u32) (canon lift (core func $i "get")))
  (func (export "[static]counter.peek") (param "h" u32) (result u32) (canon lift (core func $i "bad-rep")))
  (func (export "consume") (param "c" (own $c)) (result u32) (canon lift (core func $i "consume")))
  (func (export "drops") (result u32) (canon lift (core func $d "drops"))))`;

const HOST = `(component
  (import "logger" (type $logger (sub resource)))
  (import "[constructor]logger" (func $ctor (param "base" u32) (result (own $logger))))
  (import "[method]logger.add" (func $add (param "self" (borrow $logger)) (param "x" u32) (result u32)))
  (core func $ctor (canon lower (func $ctor)))
  (core func $add (canon lower (func $add)))
  (core func $drop (canon resource.drop $logger))
  (core module $M
    (import "host" "ctor" (func $ctor (param i32) (result i32)))
    (import "host" "add" (func $add (param i32 i32) (result i32)))
    (import "host" "drop" (func $drop (param i32)))
    (func (export "run") (param i32 i32) (result i32) (local $h i32) (local $r i32)
      local.get 0 call $ctor local.set $h
      local.get $h local.get 1 call $add local.set $r
      local.get $h call $drop
      local.get $r)
    (func (export "make") (param i32) (result i32) local.get 0 call $ctor)
    (func (export "use") (param i32 i32) (result i32) (local $r i32)
      local.get 0 local.get 1 call $add local.set $r
      local.get 0 call $drop
      local.get $r)
    (func (export "leak") (param i32)))
  (core instance $m (instantiate $M (with "host" (instance
    (export "ctor" (func $ctor)) (export "add" (func $add)) (export "drop" (func $drop))))))
  (export $l "logger" (type $logger))
  (func (export "run") (param "base" u32) (param "x" u32) (result u32) (canon lift (core func $m "run")))
  (func (export "make") (param "base" u32) (result (own $l)) (canon lift (core func $m "make")))
  (func (export "use") (param "l" (borrow $l)) (param "x" u32) (result u32) (canon lift (core func $m "use")))
  (func (export "leak") (param "l" (borrow $l)) (canon lift (core func $m "leak"))))`;

type Fn = (...a: unknown[]) => unknown;

describe('resources defined by a component', () => {
  it('should expose the resource as a class with constructor, methods, statics and Symbol.dispose', async () => {
    const e = instantiate(await wat(GUEST));
    const Counter = e.Counter as new (v: number) => { get(): number; [Symbol.dispose](): void };
    const c = new Counter(7);
    expect(c).toBeInstanceOf(Counter);
    expect(c.get()).toBe(7);
    expect(typeof (Counter as unknown as Record<string, unknown>).peek).toBe('function');
    expect((e.drops as Fn)()).toBe(0);
    expect((e.consume as Fn)(c)).toBe(7);
    expect((e.drops as Fn)()).toBe(1); // the guest dropped its own handle: destructor ran
    expect(() => c.get()).toThrow(/moved or dropped/);
    const d = new Counter(9);
    d[Symbol.dispose]();
    expect((e.drops as Fn)()).toBe(2);
    d[Symbol.dispose](); // idempotent
    expect((e.drops as Fn)()).toBe(2);
  });

  it('should make resource types generative: another instance rejects the first one\'s resources', async () => {
    const bytes = await wat(GUEST);
    const a = instantiate(bytes);
    const b = instantiate(bytes);
    const c = new (a.Counter as new (v: number) => object)(1);
    expect(() => (b.consume as Fn)(c)).toThrow(/counter resource/);
  });

  it('should trap on an unknown handle and poison the instance', async () => {
    const e = instantiate(await wat(GUEST));
    const peek = (e.Counter as unknown as Record<string, Fn>).peek as Fn;
    let err: unknown;
    try {
      peek(42);
    } catch (x) {
      err = x;
    }
    expect(isTrap(err)).toBe(true);
    expect(() => (e.drops as Fn)()).toThrow(/cannot enter component instance/);
  });
});

describe('resources implemented by the host', () => {
  class Logger {
    static disposed = 0;
    constructor(readonly base: number) {}
    add(x: number): number {
      return this.base + x;
    }
    [Symbol.dispose](): void {
      Logger.disposed++;
    }
  }

  it('should construct, call methods on and dispose host objects from the guest', async () => {
    const e = instantiate(await wat(HOST), { Logger });
    Logger.disposed = 0;
    expect((e.run as Fn)(40, 2)).toBe(42);
    expect(Logger.disposed).toBe(1);
  });

  it('should hand the host its own object back for an own and lend it for a borrow', async () => {
    const e = instantiate(await wat(HOST), { Logger });
    const l = (e.make as Fn)(10);
    expect(l).toBeInstanceOf(Logger);
    expect((l as Logger).base).toBe(10);
    expect((e.use as Fn)(l, 5)).toBe(15);
    expect((e.use as Fn)(new Logger(1), 1)).toBe(2);
  });

  it('should trap when a borrow handle is not dropped before the call returns', async () => {
    const e = instantiate(await wat(HOST), { Logger });
    expect(() => (e.leak as Fn)(new Logger(1))).toThrow(/borrow handles still remain/);
  });

  it('should accept raw annotated names as imports', async () => {
    const e = instantiate(await wat(HOST), {
      logger: Logger,
      '[constructor]logger': (base: number) => new Logger(base * 2),
      '[method]logger.add': (self: Logger, x: number) => self.base + x + 1,
    });
    expect((e.run as Fn)(1, 1)).toBe(4);
  });
});

describe('resources across instances linked in JS', () => {
  const B = `(component
    (import "a" (instance $a
      (export "counter" (type $c (sub resource)))
      (export "[method]counter.get" (func (param "self" (borrow $c)) (result u32)))))
    (alias export $a "counter" (type $counter))
    (alias export $a "[method]counter.get" (func $get))
    (core func $get (canon lower (func $get)))
    (core func $drop (canon resource.drop $counter))
    (core module $M
      (import "" "get" (func $get (param i32) (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (func (export "peek") (param i32) (result i32) (local $r i32)
        local.get 0 call $get local.set $r
        local.get 0 call $drop ;; the borrow handle must be gone before returning
        local.get $r))
    (core instance $m (instantiate $M (with "" (instance (export "get" (func $get)) (export "drop" (func $drop))))))
    (export $ce "counter" (type $counter))
    (func (export "peek") (param "c" (borrow $ce)) (result u32) (canon lift (core func $m "peek"))))`;

  const TAKER = `(component
    (import "a" (instance $a
      (export "counter" (type $c (sub resource)))))
    (alias export $a "counter" (type $counter))
    (core func $drop (canon resource.drop $counter))
    (core module $M
      (import "" "drop" (func $drop (param i32)))
      (func (export "take") (param i32) local.get 0 call $drop))
    (core instance $m (instantiate $M (with "" (instance (export "drop" (func $drop))))))
    (export $ce "counter" (type $counter))
    (func (export "take") (param "c" (own $ce)) (canon lift (core func $m "take"))))`;

  it('should run the defining instance\'s destructor when another instance drops the last own handle', async () => {
    const a = instantiate(await wat(GUEST));
    const b = instantiate(await wat(TAKER), { a });
    const c = new (a.Counter as new (v: number) => object)(5);
    expect((a.drops as Fn)()).toBe(0);
    (b.take as Fn)(c);
    expect((a.drops as Fn)()).toBe(1);
  });

  it('should revoke a borrowed resource handed to the host when the call ends', async () => {
    const a = instantiate(await wat(GUEST));
    const b = instantiate(
      await wat(`(component
        (import "a" (instance $a
          (export "counter" (type $c (sub resource)))))
        (alias export $a "counter" (type $counter))
        (import "inspect" (func $inspect (param "c" (borrow $counter)) (result u32)))
        (core func $inspect (canon lower (func $inspect)))
        (core func $drop (canon resource.drop $counter))
        (core module $M
          (import "" "inspect" (func $inspect (param i32) (result i32)))
          (import "" "drop" (func $drop (param i32)))
          (func (export "check") (param i32) (result i32) (local $r i32)
            local.get 0 call $inspect local.set $r
            local.get 0 call $drop
            local.get $r))
        (core instance $m (instantiate $M (with "" (instance (export "inspect" (func $inspect)) (export "drop" (func $drop))))))
        (export $ce "counter" (type $counter))
        (func (export "check") (param "c" (borrow $ce)) (result u32) (canon lift (core func $m "check"))))`),
      {
        a,
        inspect: (c: { get(): number }) => {
          kept = c;
          return c.get() * 10;
        },
      },
    );
    let kept: { get(): number } | undefined;
    const c = new (a.Counter as new (v: number) => object)(4);
    expect((b.check as Fn)(c)).toBe(40);
    expect(kept).toBeInstanceOf(a.Counter as new () => object);
    expect(() => kept?.get()).toThrow(/moved or dropped/);
  });

  it('should keep the resource type when one instance\'s exports are another\'s imports', async () => {
    const a = instantiate(await wat(GUEST));
    const b = instantiate(await wat(B), { a });
    expect(b.Counter).toBe(a.Counter);
    const c = new (a.Counter as new (v: number) => object)(5);
    expect((b.peek as Fn)(c)).toBe(5);
  });
});

describe('exports object of a resource interface', () => {
  it('should enumerate the class and plain functions, keeping annotated names as hidden aliases', async () => {
    const e = instantiate(await wat(GUEST));
    expect(Object.keys(e).sort()).toEqual(['Counter', 'consume', 'drops']);
    expect(typeof e['[method]counter.get']).toBe('function');
  });
});
