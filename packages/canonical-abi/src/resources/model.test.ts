/**
 * Property test: random sequences of resource operations on two instances
 * (the implementation `A` of resource R, and a user `U`) give the same
 * indices, reps, traps, destructor calls and final tables as a tiny reference
 * model written straight from definitions.py.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BORROWS_REMAIN_MESSAGE, CallBorrowScope } from './borrow-scope.js';
import { canonResourceDrop, canonResourceNew, canonResourceRep } from './canon.js';
import { ResourceHandle } from './handle.js';
import { liftBorrow, liftOwn, lowerBorrow, lowerOwn, OWN_LENT_MESSAGE, type ResourceInstance } from './lift-lower.js';
import { context, instance, rtOf, trapReason } from './test-util.js';

const MAX = 6; // small table limit so "table full" happens too

type Who = 0 | 1; // 0 = A (implements R), 1 = U
/**
 * An index as generated: mostly "the n-th live index of the table" (resolved
 * against the model before running, so sequences get deep), sometimes a raw
 * index that may name nothing.
 */
type Idx = { live: number } | { raw: number };
type Op =
  | { op: 'new'; rep: number }
  | { op: 'drop'; who: Who; idx: number }
  | { op: 'rep'; who: Who; idx: number }
  | { op: 'move'; from: Who; idx: number }
  | { op: 'call'; from: Who; to: Who; idx: number }
  | { op: 'ret' };
type GenOp = Op extends infer O ? (O extends { idx: number } ? Omit<O, 'idx'> & { idx: Idx } : O) : never;

const who = fc.constantFrom<Who>(0, 1);
const idx: fc.Arbitrary<Idx> = fc.oneof(
  { weight: 30, arbitrary: fc.record({ live: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ raw: fc.integer({ min: -1, max: MAX + 1 }) }) },
);
const opArb: fc.Arbitrary<GenOp> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('new' as const), rep: fc.integer({ min: 0, max: 1000 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('drop' as const), who, idx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rep' as const), who, idx }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('move' as const), from: who, idx }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('call' as const), from: who, to: who, idx }) },
  { weight: 2, arbitrary: fc.constant({ op: 'ret' as const }) },
);

/**
 * Turns a generated op into a concrete one, picking live indices from the
 * model's table; `undefined` (skip) when a live index is wanted and there is none.
 */
function resolve(model: Model, g: GenOp): Op | undefined {
  if (!('idx' in g)) return g;
  const w: Who = 'who' in g ? g.who : g.from;
  const i = g.idx;
  let concrete: number;
  if ('raw' in i) concrete = i.raw;
  else {
    const live = model.snapshot(w).map(([index]) => index);
    if (live.length === 0) return undefined;
    concrete = live[i.live % live.length] as number;
  }
  return { ...g, idx: concrete } as Op;
}

// ---- reference model ---------------------------------------------------------------------------

interface MSlot {
  rep: number;
  own: boolean;
  lends: number;
  frame?: MFrame;
}
interface MFrame {
  borrows: number;
  lenders: MSlot[];
}
interface MTable {
  slots: (MSlot | undefined)[];
  free: number[];
}
class ModelTrap {
  constructor(readonly reason: string) {}
}
const mtrap = (reason: string): never => {
  throw new ModelTrap(reason);
};

class Model {
  readonly tables: [MTable, MTable] = [
    { slots: [undefined], free: [] },
    { slots: [undefined], free: [] },
  ];
  readonly stack: MFrame[] = [];
  readonly dtorCalls: number[] = [];

  get(w: Who, i: number): MSlot {
    return this.tables[w].slots[i] ?? mtrap(`unknown handle index ${i >>> 0}`);
  }
  add(w: Who, s: MSlot): number {
    const t = this.tables[w];
    const f = t.free.pop();
    if (f !== undefined) {
      t.slots[f] = s;
      return f;
    }
    if (t.slots.length > MAX) mtrap(`handle table is full: an instance can hold at most ${MAX} handles`);
    t.slots.push(s);
    return t.slots.length - 1;
  }
  remove(w: Who, i: number): void {
    this.tables[w].slots[i] = undefined;
    this.tables[w].free.push(i);
  }

  run(o: Op): number | undefined {
    switch (o.op) {
      case 'new':
        return this.add(0, { rep: o.rep, own: true, lends: 0 });
      case 'rep':
        return this.get(o.who, o.idx).rep;
      case 'drop': {
        const s = this.get(o.who, o.idx);
        if (s.lends !== 0) mtrap(s.own ? OWN_LENT_MESSAGE : `cannot drop borrow handle ${o.idx} while it is lent to a call`);
        this.remove(o.who, o.idx);
        if (s.own) this.dtorCalls.push(s.rep);
        else (s.frame as MFrame).borrows--;
        return undefined;
      }
      case 'move': {
        // lift own out of `from`, lower own into the other instance
        const s = this.get(o.from, o.idx);
        if (s.lends !== 0) mtrap(OWN_LENT_MESSAGE);
        if (!s.own) mtrap(`handle index ${o.idx} is a borrow handle and cannot be passed as an own`);
        this.remove(o.from, o.idx);
        return this.add(o.from === 0 ? 1 : 0, { rep: s.rep, own: true, lends: 0 });
      }
      case 'call': {
        const s = this.get(o.from, o.idx);
        const frame: MFrame = { borrows: 0, lenders: [s] };
        s.lends++;
        this.stack.push(frame);
        if (o.to === 0) return s.rep; // A implements R: gets the rep
        frame.borrows++;
        return this.add(1, { rep: s.rep, own: false, lends: 0, frame });
      }
      case 'ret': {
        const frame = this.stack[this.stack.length - 1];
        if (frame === undefined) return undefined;
        if (frame.borrows > 0) mtrap(BORROWS_REMAIN_MESSAGE);
        for (const s of frame.lenders) s.lends--;
        this.stack.pop();
        return undefined;
      }
    }
  }

  snapshot(w: Who): [number, number, boolean, number][] {
    const out: [number, number, boolean, number][] = [];
    this.tables[w].slots.forEach((s, i) => {
      if (s !== undefined) out.push([i, s.rep, s.own, s.lends]);
    });
    return out;
  }
}

// ---- the implementation under test ---------------------------------------------------------------

class Real {
  readonly A: ResourceInstance = instance({ maxLength: MAX });
  readonly U: ResourceInstance = instance({ maxLength: MAX });
  readonly dtorCalls: number[] = [];
  readonly R = rtOf(this.A, 'R', (rep) => {
    this.dtorCalls.push(rep);
  });
  readonly stack: { subtask: CallBorrowScope; task: CallBorrowScope }[] = [];

  inst(w: Who): ResourceInstance {
    return w === 0 ? this.A : this.U;
  }

  run(o: Op): number | undefined {
    const R = this.R;
    switch (o.op) {
      case 'new':
        return canonResourceNew(this.A, R, o.rep);
      case 'rep':
        return canonResourceRep(this.inst(o.who), R, o.idx);
      case 'drop':
        canonResourceDrop(this.inst(o.who), R, o.idx);
        return undefined;
      case 'move': {
        const rep = liftOwn(context(this.inst(o.from)), o.idx, R);
        return lowerOwn(context(this.inst(o.from === 0 ? 1 : 0)), rep, R);
      }
      case 'call': {
        const frame = { subtask: new CallBorrowScope(), task: new CallBorrowScope() };
        const rep = liftBorrow(context(this.inst(o.from), frame.subtask), o.idx, R);
        this.stack.push(frame);
        return lowerBorrow(context(this.inst(o.to), frame.task), rep, R);
      }
      case 'ret': {
        const frame = this.stack[this.stack.length - 1];
        if (frame === undefined) return undefined;
        frame.task.checkNoBorrows();
        frame.subtask.releaseLenders();
        this.stack.pop();
        return undefined;
      }
    }
  }

  snapshot(w: Who): [number, number, boolean, number][] {
    return [...this.inst(w).handles.entries()].map(([i, h]) => {
      const r = h as ResourceHandle;
      return [i, r.rep, r.own, r.numLends];
    });
  }
}

describe('resources against a reference model', () => {
  it('should agree on indices, reps, traps, destructor calls and final tables', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 80, size: 'large' }), (ops) => {
        const model = new Model();
        const real = new Real();
        for (const g of ops) {
          const o = resolve(model, g);
          if (o === undefined) continue;
          let expected: { value: number | undefined } | { trap: string };
          try {
            expected = { value: model.run(o) };
          } catch (e) {
            if (!(e instanceof ModelTrap)) throw e;
            expected = { trap: e.reason };
          }
          if ('trap' in expected) {
            expect(trapReason(() => real.run(o))).toBe(expected.trap);
            break; // a trap poisons the instance: nothing more runs
          }
          expect(real.run(o)).toBe(expected.value);
        }
        expect(real.snapshot(0)).toEqual(model.snapshot(0));
        expect(real.snapshot(1)).toEqual(model.snapshot(1));
        expect(real.dtorCalls).toEqual(model.dtorCalls);
      }),
      { numRuns: 2000 },
    );
  });
});
