import { describe, expect, it } from 'vitest';
import { BORROWS_REMAIN_MESSAGE, CallBorrowScope, trapIfBorrowsRemain } from './borrow-scope.js';
import { canonResourceDrop, canonResourceNew } from './canon.js';
import { ResourceHandle } from './handle.js';
import { getResourceHandle, liftBorrow, lowerBorrow, OWN_LENT_MESSAGE } from './lift-lower.js';
import { context, instance, rtOf, trapReason } from './test-util.js';

describe('CallBorrowScope', () => {
  it('should count lends and give them back once', () => {
    const R = rtOf(undefined);
    const a = new ResourceHandle(R, 1, true);
    const b = new ResourceHandle(R, 2, true);
    const s = new CallBorrowScope();
    s.addLender(a);
    s.addLender(b);
    s.addLender(a);
    expect([a.numLends, b.numLends, s.numLenders, s.lendersReleased]).toEqual([2, 1, 3, false]);
    s.releaseLenders();
    expect([a.numLends, b.numLends, s.numLenders, s.lendersReleased]).toEqual([0, 0, 0, true]);
  });

  it('should reject a second release and a lend after release (runtime bugs, not traps)', () => {
    const s = new CallBorrowScope();
    s.releaseLenders();
    expect(() => s.releaseLenders()).toThrow(/released twice/);
    expect(() => s.addLender(new ResourceHandle(rtOf(undefined), 1, true))).toThrow(/already released/);
  });

  it('should trap on exit while borrows remain, without releasing the lenders', () => {
    const h = new ResourceHandle(rtOf(undefined), 1, true);
    const s = new CallBorrowScope();
    s.addLender(h);
    s.numBorrows = 1;
    expect(trapReason(() => s.exit())).toBe(BORROWS_REMAIN_MESSAGE);
    expect(h.numLends).toBe(1);
    s.numBorrows = 0;
    s.exit();
    expect(h.numLends).toBe(0);
    s.exit(); // idempotent once clean
  });

  const remain: [number, boolean][] = [
    [0, false],
    [1, true],
    [3, true],
  ];
  for (const [numBorrows, traps] of remain) {
    it(`should ${traps ? '' : 'not '}trap with ${numBorrows} borrows left (trapIfBorrowsRemain on any task-like object)`, () => {
      if (traps) expect(trapReason(() => trapIfBorrowsRemain({ numBorrows }))).toBe(BORROWS_REMAIN_MESSAGE);
      else trapIfBorrowsRemain({ numBorrows });
    });
  }
});

/**
 * Whole synchronous calls as a runtime would do them: `caller` passes its
 * handle `i` as `borrow<R>` to a function of `callee`; `body` runs as the callee.
 */
function call(
  caller: ReturnType<typeof instance>,
  callee: ReturnType<typeof instance>,
  R: ReturnType<typeof rtOf>,
  i: number,
  body: (arg: number, task: CallBorrowScope) => void,
): void {
  const subtask = new CallBorrowScope();
  const task = new CallBorrowScope();
  const rep = liftBorrow(context(caller, subtask), i, R);
  const arg = lowerBorrow(context(callee, task), rep, R);
  body(arg, task);
  task.checkNoBorrows(); // Task.return_
  subtask.releaseLenders(); // Subtask.deliver_resolve
}

describe('borrows across calls', () => {
  it('should give the implementing instance the rep and track nothing in its table', () => {
    const impl = instance();
    const user = instance();
    const R = rtOf(impl);
    const h = user.handles.add(new ResourceHandle(R, 0x41, true));
    let seen = -1;
    call(user, impl, R, h, (arg) => {
      seen = arg;
      expect(getResourceHandle(user, h, R).numLends).toBe(1);
      expect(trapReason(() => canonResourceDrop(user, R, h))).toBe(OWN_LENT_MESSAGE);
    });
    expect(seen).toBe(0x41);
    expect(impl.handles.size).toBe(0);
    expect(getResourceHandle(user, h, R).numLends).toBe(0);
    canonResourceDrop(user, R, h);
  });

  it('should trap when a callee that is not the implementation keeps its borrow ("borrow handles still remain at the end of the call")', () => {
    const impl = instance();
    const a = instance();
    const b = instance();
    const R = rtOf(impl);
    const h = a.handles.add(new ResourceHandle(R, 1, true));
    expect(trapReason(() => call(a, b, R, h, () => {}))).toBe(BORROWS_REMAIN_MESSAGE);
  });

  it('should end the call cleanly when the callee drops its borrow', () => {
    const impl = instance();
    const a = instance();
    const b = instance();
    const R = rtOf(impl);
    const h = a.handles.add(new ResourceHandle(R, 1, true));
    call(a, b, R, h, (arg, task) => {
      expect(task.numBorrows).toBe(1);
      canonResourceDrop(b, R, arg);
      expect(task.numBorrows).toBe(0);
    });
    expect(b.handles.size).toBe(0);
  });

  it('should let a callee pass its borrow on, and not drop it while it is lent', () => {
    const impl = instance();
    const a = instance();
    const b = instance();
    const R = rtOf(impl);
    const h = canonResourceNew(impl, R, 5); // impl owns one handle to its own resource
    expect(h).toBe(1);
    const ha = a.handles.add(new ResourceHandle(R, 5, true));
    call(a, b, R, ha, (arg) => {
      call(b, impl, R, arg, (rep) => {
        expect(rep).toBe(5);
        expect(trapReason(() => canonResourceDrop(b, R, arg))).toBe('cannot drop borrow handle 1 while it is lent to a call');
      });
      canonResourceDrop(b, R, arg);
    });
  });

  it('should count borrows per call, not per instance', () => {
    const impl = instance();
    const a = instance();
    const b = instance();
    const R = rtOf(impl);
    const h = a.handles.add(new ResourceHandle(R, 1, true));
    const outer = new CallBorrowScope();
    const inner = new CallBorrowScope();
    const i1 = lowerBorrow(context(b, outer), 1, R);
    const i2 = lowerBorrow(context(b, inner), 1, R);
    expect([outer.numBorrows, inner.numBorrows]).toEqual([1, 1]);
    canonResourceDrop(b, R, i2);
    inner.checkNoBorrows();
    expect(trapReason(() => outer.checkNoBorrows())).toBe(BORROWS_REMAIN_MESSAGE);
    canonResourceDrop(b, R, i1);
    outer.checkNoBorrows();
    expect(getResourceHandle(a, h, R).numLends).toBe(0);
  });
});
