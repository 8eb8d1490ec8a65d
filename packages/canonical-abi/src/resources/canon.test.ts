import { describe, expect, it, vi } from 'vitest';
import type { ResourceType } from '../types.js';
import { BORROWS_REMAIN_MESSAGE, CallBorrowScope } from './borrow-scope.js';
import { canonResourceDrop, canonResourceNew, canonResourceRep } from './canon.js';
import { liftBorrow, lowerBorrow, lowerOwn, OWN_LENT_MESSAGE, type ResourceInstance } from './lift-lower.js';
import { context, instance, rtOf, trapReason } from './test-util.js';

describe('canon resource.new', () => {
  it('should allocate sequential indices from 1 with the spec LIFO reuse', () => {
    const inst = instance();
    const R = rtOf(inst);
    expect([100, 200, 300].map((rep) => canonResourceNew(inst, R, rep))).toEqual([1, 2, 3]);
    canonResourceDrop(inst, R, 2);
    expect(canonResourceNew(inst, R, 400)).toBe(2);
    expect([1, 2, 3].map((i) => canonResourceRep(inst, R, i))).toEqual([100, 400, 300]);
  });

  it('should read the rep as an unsigned i32', () => {
    const inst = instance();
    const R = rtOf(inst);
    expect(canonResourceRep(inst, R, canonResourceNew(inst, R, -1))).toBe(0xffffffff);
  });

  it('should trap when the instance may not leave, adding nothing', () => {
    const inst = instance();
    inst.mayLeave = false;
    expect(trapReason(() => canonResourceNew(inst, rtOf(inst), 1))).toBe('cannot leave component instance');
    expect(inst.handles.size).toBe(0);
  });

  it('should trap when the table is full', () => {
    const inst = instance({ maxLength: 2 });
    const R = rtOf(inst);
    canonResourceNew(inst, R, 1);
    canonResourceNew(inst, R, 2);
    expect(trapReason(() => canonResourceNew(inst, R, 3))).toBe(
      'handle table is full: an instance can hold at most 2 handles',
    );
  });
});

describe('canon resource.rep', () => {
  it('should return the rep of own and borrow handles', () => {
    const inst = instance();
    const R = rtOf({});
    const own = lowerOwn(context(inst), 5, R);
    const borrow = lowerBorrow(context(inst, new CallBorrowScope()), 6, R);
    expect([canonResourceRep(inst, R, own), canonResourceRep(inst, R, borrow)]).toEqual([5, 6]);
  });

  it('should not check may_leave (the spec does not)', () => {
    const inst = instance();
    const R = rtOf(inst);
    const i = canonResourceNew(inst, R, 5);
    inst.mayLeave = false;
    expect(canonResourceRep(inst, R, i)).toBe(5);
  });

  const traps: [string, (inst: ResourceInstance, R: ResourceType) => number, string][] = [
    ['a never allocated index', () => 5, 'unknown handle index 5'],
    ['index 0', () => 0, 'unknown handle index 0'],
    ['a dropped handle', (inst, R) => {
      const i = canonResourceNew(inst, R, 1);
      canonResourceDrop(inst, R, i);
      return i;
    }, 'unknown handle index 1'],
    ['a handle of another resource type', (inst) => canonResourceNew(inst, rtOf(inst), 1),
      'handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource'],
    ['a non-resource entry', (inst) => inst.handles.add({ kind: 'future' }),
      'handle index 1 used with the wrong type, expected guest-defined resource but found future'],
  ];
  for (const [what, setup, message] of traps) {
    it(`should trap on ${what}`, () => {
      const inst = instance();
      const R = rtOf(inst);
      const i = setup(inst, R);
      expect(trapReason(() => canonResourceRep(inst, R, i))).toBe(message);
    });
  }
});

describe('canon resource.drop', () => {
  it('should call the destructor directly when the dropping instance implements the resource', () => {
    const inst = instance();
    const dtor = vi.fn();
    const R = rtOf(inst, 'R', dtor);
    const callDestructor = vi.fn();
    const i = canonResourceNew(inst, R, 41);
    expect(canonResourceDrop(inst, R, i, { callDestructor })).toBeUndefined();
    expect(dtor).toHaveBeenCalledExactlyOnceWith(41);
    expect(callDestructor).not.toHaveBeenCalled();
    expect(inst.handles.has(i)).toBe(false);
  });

  it('should drop an own handle of a resource without destructor', () => {
    const inst = instance();
    const R = rtOf(inst);
    const i = canonResourceNew(inst, R, 1);
    expect(canonResourceDrop(inst, R, i)).toBeUndefined();
    expect(inst.handles.size).toBe(0);
  });

  it('should go through the callDestructor hook when another instance implements the resource', () => {
    const impl = instance();
    const user = instance();
    const dtor = vi.fn();
    const R = rtOf(impl, 'R', dtor);
    const callDestructor = vi.fn();
    const i = lowerOwn(context(user), 9, R);
    canonResourceDrop(user, R, i, { callDestructor });
    expect(callDestructor).toHaveBeenCalledExactlyOnceWith(R, 9, user);
    expect(dtor).not.toHaveBeenCalled();
  });

  it('should call the hook even when the resource has no destructor (the spec still makes the call)', () => {
    const user = instance();
    const R = rtOf(instance());
    const callDestructor = vi.fn();
    canonResourceDrop(user, R, lowerOwn(context(user), 9, R), { callDestructor });
    expect(callDestructor).toHaveBeenCalledOnce();
  });

  it('should call the destructor directly without the hook (host-defined resource)', () => {
    const user = instance();
    const dtor = vi.fn();
    const R = rtOf(undefined, 'host', dtor);
    canonResourceDrop(user, R, lowerOwn(context(user), 3, R));
    expect(dtor).toHaveBeenCalledExactlyOnceWith(3);
  });

  it('should return the promise of an async destructor', async () => {
    const inst = instance();
    const log: string[] = [];
    const R = rtOf(inst, 'R', async (rep) => {
      await Promise.resolve();
      log.push(`dtor ${rep}`);
    });
    const p = canonResourceDrop(inst, R, canonResourceNew(inst, R, 8));
    expect(p).toBeInstanceOf(Promise);
    expect(inst.handles.size).toBe(0);
    await p;
    expect(log).toEqual(['dtor 8']);
  });

  it('should return the promise of an async cross-instance destructor call', async () => {
    const user = instance();
    const R = rtOf(instance());
    const p = canonResourceDrop(user, R, lowerOwn(context(user), 1, R), {
      callDestructor: () => Promise.resolve(),
    });
    expect(p).toBeInstanceOf(Promise);
    await p;
  });

  it('should end a borrow without calling any destructor', () => {
    const impl = instance();
    const user = instance();
    const dtor = vi.fn();
    const R = rtOf(impl, 'R', dtor);
    const task = new CallBorrowScope();
    const b = lowerBorrow(context(user, task), 4, R);
    expect(trapReason(() => task.checkNoBorrows())).toBe(BORROWS_REMAIN_MESSAGE);
    const callDestructor = vi.fn();
    canonResourceDrop(user, R, b, { callDestructor });
    expect(task.numBorrows).toBe(0);
    expect(dtor).not.toHaveBeenCalled();
    expect(callDestructor).not.toHaveBeenCalled();
    task.checkNoBorrows();
    expect(user.handles.has(b)).toBe(false);
  });

  const traps: {
    name: string;
    /** Prepares the table; returns the index to drop and, when not `R`, the type to drop it as. */
    setup: (inst: ResourceInstance, R: ResourceType) => number | [number, ResourceType];
    message: string;
  }[] = [
    { name: 'a never allocated index (drop-never-allocated)', setup: () => 5, message: 'unknown handle index 5' },
    {
      name: 'a second drop (double-drop)',
      setup: (inst, R) => {
        const i = canonResourceNew(inst, R, 100);
        canonResourceDrop(inst, R, i);
        return i;
      },
      message: 'unknown handle index 1',
    },
    { name: 'index 0 (drop-zero)', setup: () => 0, message: 'unknown handle index 0' },
    { name: 'index 0xffffffff as i32 -1 (drop-max)', setup: () => -1, message: 'unknown handle index 4294967295' },
    {
      name: 'a handle of another resource type (drop-R1-as-R2)',
      setup: (inst) => canonResourceNew(inst, rtOf(inst), 100),
      message:
        'handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource',
    },
    {
      name: 'a non-resource entry',
      setup: (inst) => inst.handles.add({ kind: 'subtask' }),
      message: 'handle index 1 used with the wrong type, expected guest-defined resource but found subtask',
    },
    {
      name: 'an own handle lent to a call',
      setup: (inst, R) => {
        const i = canonResourceNew(inst, R, 1);
        liftBorrow(context(inst, new CallBorrowScope()), i, R);
        return i;
      },
      message: OWN_LENT_MESSAGE,
    },
    {
      name: 'a borrow handle lent to a call',
      setup: (inst) => {
        const R2 = rtOf({});
        const b = lowerBorrow(context(inst, new CallBorrowScope()), 1, R2);
        liftBorrow(context(inst, new CallBorrowScope()), b, R2);
        return [b, R2];
      },
      message: 'cannot drop borrow handle 1 while it is lent to a call',
    },
    {
      name: 'a call while the instance may not leave',
      setup: (inst, R) => {
        const i = canonResourceNew(inst, R, 1);
        inst.mayLeave = false;
        return i;
      },
      message: 'cannot leave component instance',
    },
  ];
  for (const c of traps) {
    it(`should trap on ${c.name}, calling no destructor and leaving the table as it was`, () => {
      const inst = instance();
      const dtor = vi.fn();
      const R = rtOf(inst, undefined, dtor);
      const r = c.setup(inst, R);
      const [i, rt] = typeof r === 'number' ? [r, R] : r;
      dtor.mockClear();
      const before = [...inst.handles.entries()];
      expect(trapReason(() => canonResourceDrop(inst, rt, i))).toBe(c.message);
      expect(dtor).not.toHaveBeenCalled();
      expect([...inst.handles.entries()]).toEqual(before);
    });
  }
});
