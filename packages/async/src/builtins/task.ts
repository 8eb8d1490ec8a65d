/**
 * `task.return`, `task.cancel`, `backpressure.inc/dec`, `context.get/set`
 * (`CanonicalABI.md#canon-taskreturn` and following).
 *
 * @module
 */

import { trap } from '@wasm-components/canonical-abi';
import { TaskState, type Task } from '../task.js';
import { wake } from '../waitable.js';
import { type Caller, checkLeave } from './caller.js';

/** The task of the caller, trapping outside any async-capable task. */
export function callerTask(c: Caller, what: string): Task {
  const t = c.thread?.task as Task | undefined;
  if (t === undefined) trap(`${what} called outside of an async task`);
  return t;
}

/**
 * `canon task.return` after the embedding lifted the value: checks that the
 * task was lifted `async` (`trap_if(not task.opts.async_)`) and resolves it.
 * `sameSignature` is the embedding's check of the result type and options
 * against the task's (`trap_if(result_type != task.ft.result)`, `LiftOptions.equal`).
 */
export function taskReturnCheck(c: Caller, sameSignature: (task: Task) => boolean): Task {
  checkLeave(c);
  const task = callerTask(c, 'task.return');
  if (!task.opts.async) trap('task.return called by a task that was not lifted async');
  if (!sameSignature(task)) trap("task.return's result type or options do not match the lifted function's");
  if (task.state === TaskState.RESOLVED) trap('cannot call task.return after the task has already resolved');
  return task;
}

/** `canon task.cancel`: the task acknowledges cancellation and resolves as cancelled. */
export function taskCancel(c: Caller): void {
  checkLeave(c);
  const task = callerTask(c, 'task.cancel');
  if (!task.opts.async) trap('task.cancel called by a task that was not lifted async');
  task.cancel();
}

/** `canon backpressure.inc`. */
export function backpressureInc(c: Caller): void {
  const inst = c.inst;
  if (inst.backpressure + 1 >= 2 ** 16) trap('backpressure counter overflow');
  inst.backpressure++;
}

/** `canon backpressure.dec`: waiting tasks may enter once it reaches 0. */
export function backpressureDec(c: Caller): void {
  const inst = c.inst;
  if (inst.backpressure - 1 < 0) trap('backpressure counter underflow');
  inst.backpressure--;
  if (inst.backpressure === 0) wake();
}

/** `canon backpressure.set` (the older form): 0 or 1. */
export function backpressureSet(c: Caller, v: number): void {
  c.inst.backpressure = v !== 0 ? 1 : 0;
  if (v === 0) wake();
}
