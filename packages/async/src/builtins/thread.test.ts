import { createInstanceState, HandleTable } from '@wasm-components/canonical-abi';
import { describe, expect, it } from 'vitest';
import { Store } from '../scheduler.js';
import { type AsyncInstance, Task } from '../task.js';
import { Cancelled, mayRun, otherThreadReady, Thread } from '../thread.js';
import { trapReason } from '../test-util/index.js';
import type { Caller } from './caller.js';
import {
  NO_SHARED_THREADS,
  NOT_SUSPENDED,
  threadAvailableParallelism,
  threadIndex,
  threadNew,
  threadResumeLater,
  threadSpawn,
  threadSuspend,
  threadSuspendThenResume,
  threadYieldThenPromote,
} from './thread.js';

function instance(store: Store, parent?: object): AsyncInstance {
  return Object.assign(createInstanceState(), {
    backpressure: 0,
    exclusive: null,
    numWaitingToEnter: 0,
    threads: new HandleTable<Thread>(),
    store,
    parent,
  });
}

/** A running task of `inst` (its implicit thread registered) and a caller for it. */
function running(inst: AsyncInstance, ftAsync: boolean, callback = false): { task: Task; thread: Thread; caller: Caller } {
  const task = new Task({ async: ftAsync, callback }, inst, ftAsync, () => {}, null);
  const thread = new Thread(task);
  task.registerThread(thread);
  return { task, thread, caller: { inst, thread } };
}

describe('thread.new-indirect and thread.resume-later', () => {
  it('should make a suspended thread that resume-later makes ready, and start its body when resumed', () => {
    const store = new Store();
    const inst = instance(store);
    const { caller } = running(inst, true);
    const ran: number[] = [];
    const i = threadNew(caller, (t) => void ran.push(t.index), () => undefined, (e) => {
      throw e;
    });
    const t = inst.threads.get(i);
    expect(t.suspended()).toBe(true);
    expect(t.implicit).toBe(false);
    threadResumeLater(caller, i);
    expect(t.waiting() && t.ready()).toBe(true);
    t.resume(Cancelled.FALSE);
    expect(ran).toEqual([i]);
    expect(t.done).toBe(true);
    expect(inst.threads.has(i)).toBe(false);
  });

  it.each([
    ['resume-later of a running thread', (c: Caller) => threadResumeLater(c, threadIndex(c))],
    ['suspend-then-resume of a running thread', (c: Caller) => threadSuspendThenResume(c, false, threadIndex(c))],
  ])('should trap on %s (it is not suspended)', (_name, f) => {
    const { caller } = running(instance(new Store()), true);
    expect(trapReason(() => f(caller))).toBe(NOT_SUSPENDED);
  });

  it('should trap on an unknown thread index', () => {
    const { caller } = running(instance(new Store()), true);
    expect(trapReason(() => threadResumeLater(caller, 99))).toContain('unknown thread index 99');
  });
});

describe('blocking rules', () => {
  it('should trap thread.suspend in a sync task with no other ready thread, and allow it once one is ready', () => {
    const store = new Store();
    const root = instance(store);
    const { caller, task } = running(instance(store, root), false);
    expect(trapReason(() => threadSuspend(caller, false))).toBe('cannot block a synchronous task before returning');
    // Another thread of the same instance tree becomes ready: the sync task may block now.
    const other = running(instance(store, root), true);
    const i = threadNew(other.caller, () => undefined, () => undefined, () => {});
    threadResumeLater(other.caller, i);
    expect(otherThreadReady(task)).toBe(true);
    expect(task.mayBlock()).toBe(true);
  });

  it('should not count ready threads of another instance tree', () => {
    const store = new Store();
    const { task } = running(instance(store), false);
    const other = running(instance(store), true);
    threadResumeLater(other.caller, threadNew(other.caller, () => undefined, () => undefined, () => {}));
    expect(task.mayBlock()).toBe(false);
  });

  it('should let only the sync call\'s own instance run, and not its exclusive implicit threads', () => {
    const store = new Store();
    const inst = instance(store);
    store.addHostCall(() => {});
    const cb = running(inst, true, true); // a callback-lifted task: needs exclusive access
    const explicit = inst.threads.get(threadNew(cb.caller, () => undefined, () => undefined, () => {}));
    const sibling = running(instance(store), true);
    const call = running(inst, false); // the sync call in progress
    expect(mayRun(store, call.thread)).toBe(true);
    expect(mayRun(store, explicit)).toBe(true);
    expect(mayRun(store, cb.thread)).toBe(false);
    expect(mayRun(store, sibling.thread)).toBe(false);
    call.task.return(undefined);
    expect(mayRun(store, cb.thread)).toBe(true);
    expect(mayRun(store, sibling.thread)).toBe(true);
  });

  it('should run threads made by thread.new-indirect only while a host call is in progress', () => {
    const store = new Store();
    const { caller } = running(instance(store), true);
    const t = caller.inst.threads.get(threadNew(caller, () => undefined, () => undefined, () => {}));
    expect(mayRun(store, t)).toBe(false);
    store.addHostCall(() => {});
    expect(mayRun(store, t)).toBe(true);
  });
});

describe('other thread built-ins', () => {
  it('should fall back to a yield when the promote target is not ready (a sync task yields at once)', () => {
    const { caller } = running(instance(new Store()), false);
    const i = threadNew(caller, () => undefined, () => undefined, () => {});
    expect(threadYieldThenPromote(caller, false, i)).toBe(Cancelled.FALSE);
  });

  it('should report one thread of parallelism and trap thread.spawn-*', () => {
    const { caller } = running(instance(new Store()), true);
    expect(threadAvailableParallelism(caller)).toBe(1);
    expect(trapReason(() => threadSpawn(caller))).toBe(NO_SHARED_THREADS);
  });

  it('should trap switching without a JSPI stack', () => {
    const { caller } = running(instance(new Store()), true);
    const i = threadNew(caller, () => undefined, () => undefined, () => {});
    expect(trapReason(() => threadSuspendThenResume(caller, false, i))).toContain('lacks JSPI');
  });
});
