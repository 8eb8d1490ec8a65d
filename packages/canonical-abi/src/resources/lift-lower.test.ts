import { describe, expect, it } from 'vitest';
import { type ComponentInstanceState, LiftLowerContext } from '../context.js';
import { HandleTable } from './table.js';
import { BORROWS_REMAIN_MESSAGE, CallBorrowScope } from './borrow-scope.js';
import { ResourceHandle } from './handle.js';
import {
  checkResourceHandle,
  getResourceHandle,
  liftBorrow,
  liftOwn,
  lowerBorrow,
  lowerOwn,
  OWN_LENT_MESSAGE,
} from './lift-lower.js';
import { context, instance, rtOf, trapReason } from './test-util.js';

describe('lowerOwn / liftOwn', () => {
  it('should add an owning handle and move it out again by rep', () => {
    const inst = instance();
    const R = rtOf(inst, 'R');
    const cx = context(inst);
    const i = lowerOwn(cx, 42, R);
    expect(i).toBe(1);
    const h = inst.handles.get(i) as ResourceHandle;
    expect(h).toBeInstanceOf(ResourceHandle);
    expect([h.resource, h.rep, h.own, h.numLends, h.borrowScope]).toEqual([R, 42, true, 0, undefined]);
    expect(liftOwn(cx, i, R)).toBe(42);
    expect(inst.handles.has(i)).toBe(false);
    // the index is free again
    expect(lowerOwn(cx, 43, R)).toBe(1);
  });

  it('should not need a borrow scope', () => {
    const inst = instance();
    const R = rtOf(undefined);
    expect(liftOwn(context(inst), lowerOwn(context(inst), 7, R), R)).toBe(7);
  });
});

describe('liftOwn traps', () => {
  const g1 = {};
  const g2 = {};
  const cases: {
    name: string;
    setup: (inst: ReturnType<typeof instance>) => { index: number; rt: ReturnType<typeof rtOf> };
    message: string;
  }[] = [
    {
      name: 'an unknown index',
      setup: () => ({ index: 3, rt: rtOf(g1) }),
      message: 'unknown handle index 3',
    },
    {
      name: 'index 0',
      setup: () => ({ index: 0, rt: rtOf(g1) }),
      message: 'unknown handle index 0',
    },
    {
      name: 'a handle of another guest-defined resource type',
      setup: (inst) => ({ index: lowerOwn(context(inst), 1, rtOf(g1)), rt: rtOf(g2) }),
      message:
        'handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource',
    },
    {
      name: 'a handle of a host-defined type where a guest-defined one is expected',
      setup: (inst) => ({ index: lowerOwn(context(inst), 1, rtOf(undefined)), rt: rtOf(g1) }),
      message:
        'handle index 1 used with the wrong type, expected guest-defined resource but found a different host-defined resource',
    },
    {
      name: 'a handle of another type, naming both when named',
      setup: (inst) => ({ index: lowerOwn(context(inst), 1, rtOf(g1, 'R1')), rt: rtOf(g1, 'R2') }),
      message:
        'handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource (expected `R2`, found `R1`)',
    },
    {
      name: 'a table entry that is not a resource',
      setup: (inst) => ({ index: inst.handles.add({ kind: 'waitable-set' }), rt: rtOf(undefined) }),
      message: 'handle index 1 used with the wrong type, expected host-defined resource but found waitable-set',
    },
    {
      name: 'an own handle lent to a call',
      setup: (inst) => {
        const rt = rtOf(g1);
        const index = lowerOwn(context(inst), 1, rt);
        liftBorrow(context(inst, new CallBorrowScope()), index, rt);
        return { index, rt };
      },
      message: OWN_LENT_MESSAGE,
    },
    {
      name: 'a borrow handle',
      setup: (inst) => {
        const rt = rtOf(g1);
        return { index: lowerBorrow(context(inst, new CallBorrowScope()), 5, rt), rt };
      },
      message: 'handle index 1 is a borrow handle and cannot be passed as an own',
    },
  ];
  for (const c of cases) {
    it(`should trap on ${c.name}`, () => {
      const inst = instance();
      const { index, rt } = c.setup(inst);
      expect(trapReason(() => liftOwn(context(inst), index, rt))).toBe(c.message);
    });
  }

  it('should say "cannot remove owned resource while borrowed" for borrow-and-take(h, h) (resources/borrows.wast)', () => {
    const caller = instance();
    const R = rtOf({});
    const h = lowerOwn(context(caller), 0x41, R);
    const subtask = new CallBorrowScope();
    const cx = context(caller, subtask);
    expect(liftBorrow(cx, h, R)).toBe(0x41);
    expect(trapReason(() => liftOwn(cx, h, R))).toBe('cannot remove owned resource while borrowed');
  });
});

describe('liftBorrow', () => {
  it('should lend an own handle for the duration of the call and return its rep', () => {
    const inst = instance();
    const R = rtOf({});
    const i = lowerOwn(context(inst), 9, R);
    const subtask = new CallBorrowScope();
    expect(liftBorrow(context(inst, subtask), i, R)).toBe(9);
    expect(liftBorrow(context(inst, subtask), i, R)).toBe(9);
    const h = getResourceHandle(inst, i, R);
    expect(h.numLends).toBe(2);
    expect(subtask.numLenders).toBe(2);
    subtask.releaseLenders();
    expect(h.numLends).toBe(0);
    expect(liftOwn(context(inst), i, R)).toBe(9);
  });

  it('should lend a borrow handle too, so it cannot be dropped while lent', () => {
    const inst = instance();
    const R = rtOf({});
    const task = new CallBorrowScope();
    const b = lowerBorrow(context(inst, task), 3, R);
    const subtask = new CallBorrowScope();
    expect(liftBorrow(context(inst, subtask), b, R)).toBe(3);
    expect(getResourceHandle(inst, b, R).numLends).toBe(1);
  });

  const traps: [string, number, string][] = [
    ['an unknown index', 2, 'unknown handle index 2'],
    ['index 0', 0, 'unknown handle index 0'],
  ];
  for (const [what, index, message] of traps) {
    it(`should trap on ${what} and lend nothing`, () => {
      const inst = instance();
      const R = rtOf({});
      lowerOwn(context(inst), 1, R);
      const subtask = new CallBorrowScope();
      expect(trapReason(() => liftBorrow(context(inst, subtask), index, R))).toBe(message);
      expect(subtask.numLenders).toBe(0);
    });
  }

  it('should trap on a handle of another resource type and lend nothing', () => {
    const inst = instance();
    const i = lowerOwn(context(inst), 1, rtOf({}));
    const subtask = new CallBorrowScope();
    expect(trapReason(() => liftBorrow(context(inst, subtask), i, rtOf({})))).toMatch(
      /^handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource/,
    );
    expect(subtask.numLenders).toBe(0);
  });

  it('should refuse to run without a borrow scope (a runtime bug, not a trap)', () => {
    const inst = instance();
    const R = rtOf({});
    const i = lowerOwn(context(inst), 1, R);
    expect(() => liftBorrow(context(inst), i, R)).toThrow(/liftBorrow needs cx.borrowScope/);
  });
});

describe('lowerBorrow', () => {
  it('should pass the rep itself into the instance that implements the resource', () => {
    const impl = instance();
    const R = rtOf(impl);
    const task = new CallBorrowScope();
    expect(lowerBorrow(context(impl, task), 77, R)).toBe(77);
    expect(impl.handles.size).toBe(0);
    expect(task.numBorrows).toBe(0);
  });

  it('should add a borrow handle tied to the callee scope into any other instance', () => {
    const user = instance();
    const R = rtOf(instance());
    const task = new CallBorrowScope();
    const i = lowerBorrow(context(user, task), 77, R);
    expect(i).toBe(1);
    const h = getResourceHandle(user, i, R);
    expect([h.own, h.rep, h.borrowScope, h.numLends]).toEqual([false, 77, task, 0]);
    expect(task.numBorrows).toBe(1);
    expect(trapReason(() => task.checkNoBorrows())).toBe(BORROWS_REMAIN_MESSAGE);
  });

  it('should add borrow handles for host-defined resources', () => {
    const user = instance();
    const task = new CallBorrowScope();
    lowerBorrow(context(user, task), 1, rtOf(undefined));
    expect(task.numBorrows).toBe(1);
  });

  it('should refuse to run without a borrow scope when a handle is needed', () => {
    expect(() => lowerBorrow(context(instance()), 1, rtOf({}))).toThrow(/lowerBorrow needs cx.borrowScope/);
  });

  it('should trap when the table is full', () => {
    const inst = instance({ maxLength: 1 });
    const task = new CallBorrowScope();
    lowerBorrow(context(inst, task), 1, rtOf({}));
    expect(trapReason(() => lowerBorrow(context(inst, task), 2, rtOf({})))).toMatch(/^handle table is full/);
    expect(trapReason(() => lowerOwn(context(inst), 2, rtOf({})))).toMatch(/^handle table is full/);
  });
});

describe('checkResourceHandle', () => {
  it('should return the handle when kind and type match', () => {
    const R = rtOf(undefined);
    const h = new ResourceHandle(R, 1, true);
    expect(checkResourceHandle(1, h, R)).toBe(h);
  });

  it('should describe entries without a kind generically', () => {
    expect(trapReason(() => checkResourceHandle(4, 'x', rtOf(undefined)))).toBe(
      'handle index 4 used with the wrong type, expected host-defined resource but found a non-resource table entry',
    );
  });
});

describe('with the package LiftLowerContext', () => {
  it('should accept LiftLowerContext and ComponentInstanceState as they are', () => {
    const inst: ComponentInstanceState = { handles: new HandleTable<unknown>(), mayLeave: true };
    const R = rtOf(inst);
    const task = new CallBorrowScope();
    const cx = new LiftLowerContext({ stringEncoding: 'utf8' }, inst, task);
    const i = lowerOwn(cx, 5, R);
    expect(lowerBorrow(cx, 5, R)).toBe(5);
    expect(liftBorrow(cx, i, R)).toBe(5);
    task.releaseLenders();
    expect(liftOwn(cx, i, R)).toBe(5);
  });
});
