import { describe, expect, it } from 'vitest';
import { abortAllStores, DEADLOCK, HostCalls, linkStores, PASSES_PER_TURN, Store, whenIdle } from './scheduler.js';
import { wake } from './waitable.js';
import { Thread, type ThreadTask } from './thread.js';

function threadIn(store: Store): Thread {
  const task = { store, inst: {}, deliverPendingCancel: () => false, mayBlock: () => true } as unknown as ThreadTask;
  return new Thread(task);
}

/** Registers a host call on `store`; resolves with what it was told (undefined = deadlock). */
function hostCall(store: Store): Promise<unknown> {
  return new Promise((resolve) => {
    const h = (reason?: unknown): void => {
      store.removeHostCall(h);
      resolve(reason ?? DEADLOCK);
    };
    store.addHostCall(h);
    store.schedule();
  });
}

describe('Store', () => {
  it('should resume a waiting thread once its condition holds', async () => {
    const store = new Store();
    const t = threadIn(store);
    let ready = false;
    const resumed = new Promise<void>((resolve) => {
      t.waitUntil(() => ready, false, () => resolve());
    });
    ready = true;
    store.schedule();
    await resumed;
    expect(store.waiting).toEqual([]);
  });

  it('should report a deadlock to the host calls of a store that cannot progress', async () => {
    const store = new Store();
    threadIn(store).waitUntil(() => false, false, () => {});
    expect(await hostCall(store)).toBe(DEADLOCK);
  });

  it('should not call a store deadlocked while a stack of another store is live', async () => {
    const a = new Store();
    const b = new Store();
    threadIn(a).waitUntil(() => false, false, () => {});
    b.active++;
    let told = false;
    void hostCall(a).then(() => (told = true));
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    expect(told).toBe(false);
    b.active--;
    a.schedule();
    for (let i = 0; i < 3 && !told; i++) await new Promise((r) => setImmediate(r));
    expect(told).toBe(true);
  });

  it('should run a pass of another store put off to the same turn before calling a store deadlocked', async () => {
    // A component that returned a stream and keeps writing it has no host call; its pass may be put off
    // to the next turn of the event loop (PASSES_PER_TURN), after the reader's store began its deadlock check.
    // The stream links the stores (lowering its readable end into the reader's component does it).
    const writer = new Store();
    const reader = new Store();
    linkStores(writer, reader);
    let written = false;
    let fed = false;
    threadIn(writer).waitUntil(() => written, false, () => {
      fed = true;
      wake();
    });
    for (let i = 0; i < PASSES_PER_TURN - 1; i++) {
      writer.schedule();
      await Promise.resolve();
    }
    let resumed = false;
    threadIn(reader).waitUntil(() => fed, false, () => (resumed = true));
    let told: unknown;
    void hostCall(reader).then((r) => (told = r));
    for (let i = 0; i < 4; i++) await Promise.resolve();
    written = true;
    writer.schedule();
    for (let i = 0; i < 4 && !resumed; i++) await new Promise((r) => setImmediate(r));
    expect(told).toBeUndefined();
    expect(resumed).toBe(true);
    abortAllStores(new Error('done'));
  });

  it('should call a store deadlocked while an unrelated store with no host call runs a thread for ever', async () => {
    // A component whose call returned long ago and whose task keeps yielding (async/during-sync-call-*.wast):
    // nothing it does can reach the other store without the host.
    const spinner = new Store();
    const t = threadIn(spinner);
    let spins = 0;
    const spin = (): void => {
      spins++;
      t.waitUntil(() => true, false, spin);
    };
    t.waitUntil(() => true, false, spin);
    const stuck = new Store();
    threadIn(stuck).waitUntil(() => false, false, () => {});
    expect(await hostCall(stuck)).toBe(DEADLOCK);
    expect(spins).toBeGreaterThan(0);
    spinner.abort(new Error('done'));
  });

  it('should tell a store it is deadlocked once a linked store it waited on goes idle', async () => {
    // The writer may run (so the reader waits for a verdict), then parks for good: the reader must learn it.
    const writer = new Store();
    const reader = new Store();
    linkStores(reader, writer);
    threadIn(reader).waitUntil(() => false, false, () => {});
    const told = hostCall(reader); // the reader's pass comes first and finds the writer able to run
    let ran = 0;
    const w = threadIn(writer);
    w.waitUntil(() => true, false, () => {
      ran++;
      w.waitUntil(() => false, false, () => {});
    });
    expect(await told).toBe(DEADLOCK);
    expect(ran).toBe(1);
    writer.abort(new Error('done'));
  });

  it('should not call a store deadlocked while a linked store with no host call keeps feeding it', async () => {
    // b.consume(await a.produce(n)): a's call returned; its task writes the stream chunk by chunk.
    const writer = new Store();
    const reader = new Store();
    linkStores(writer, reader);
    let chunks = 0;
    let read = 0;
    const w = threadIn(writer);
    const r = threadIn(reader);
    const write = (): void => {
      chunks++;
      wake();
      if (chunks < 2000) w.waitUntil(() => read === chunks, false, write);
    };
    const readOne = (): void => {
      read++;
      wake();
      if (read < 2000) r.waitUntil(() => chunks > read, false, readOne);
      else done();
    };
    let done: () => void = () => {};
    const finished = new Promise<string>((resolve) => (done = () => resolve('read all')));
    w.waitUntil(() => true, false, write);
    r.waitUntil(() => chunks > read, false, readOne);
    const told = hostCall(reader);
    expect(await Promise.race([finished, told])).toBe('read all');
    abortAllStores(new Error('done'));
  });

  it('should drop every waiting thread and fail every host call on abort', async () => {
    const store = new Store();
    threadIn(store).waitUntil(() => false, false, () => {});
    store.active++;
    const call = hostCall(store);
    const reason = new Error('abandoned');
    abortAllStores(reason);
    expect(await call).toBe(reason);
    expect(store.waiting).toEqual([]);
    expect(store.active).toBe(0);
    store.active--; // a stack abandoned by the abort settling later
    expect(store.active).toBe(0);
  });

  it('should tell who waits on a thread when its stack parks or settles', async () => {
    const store = new Store();
    const t = threadIn(store);
    const idle = whenIdle(t);
    store.release(t);
    await expect(idle).resolves.toBeUndefined();
  });
});

describe('HostCalls', () => {
  it.each([3, 100])('should keep %i pending calls in order through removals', (n) => {
    const calls = new HostCalls();
    const hs = Array.from({ length: n }, () => (): void => {});
    for (const h of hs) calls.add(h);
    expect(calls.size).toBe(n);
    for (let i = 0; i < n; i += 2) calls.delete(hs[i]!);
    calls.delete(() => {}); // absent: no-op
    expect(calls.list()).toEqual(hs.filter((_, i) => i % 2 === 1));
    for (let i = 1; i < n; i += 2) calls.delete(hs[i]!);
    expect(calls.size).toBe(0);
    calls.add(hs[0]!);
    expect(calls.list()).toEqual([hs[0]]);
  });
});
