import { t } from '@wasm-components/canonical-abi';
import { describe, expect, it } from 'vitest';
import { ErrorContext, isErrorContext } from '../error-context.js';
import { cxOf, testInstance, trapReason } from '../test-util/index.js';
import { errorContextDebugMessage, errorContextDrop, errorContextNew } from './error-context.js';

function put(inst: ReturnType<typeof testInstance>, ptr: number, s: string): number {
  const b = new TextEncoder().encode(s);
  inst.u8().set(b, ptr);
  return b.length;
}

describe('error-context built-ins', () => {
  it('should create an error context from a string in memory and read its message back', () => {
    const inst = testInstance();
    const n = put(inst, 100, 'boom ☃');
    const i = errorContextNew(inst, inst.opts, 100, n);
    expect(i).toBe(1);
    const e = inst.handles.get(i);
    expect(isErrorContext(e)).toBe(true);
    expect((e as ErrorContext).debugMessage).toBe('boom ☃');
    errorContextDebugMessage(inst, inst.opts, i, 16);
    const dv = new DataView(inst.memory.buffer);
    const p = dv.getUint32(16, true);
    const len = dv.getUint32(20, true);
    expect(new TextDecoder().decode(inst.u8().subarray(p, p + len))).toBe('boom ☃');
  });

  it('should transcode the message into another instance with another encoding', () => {
    const a = testInstance();
    const b = testInstance();
    const i = errorContextNew(a, a.opts, 0, put(a, 0, 'héllo'));
    const j = b.handles.add(a.handles.get(i));
    errorContextDebugMessage(b, { ...b.opts, stringEncoding: 'utf16' }, j, 8);
    const dv = new DataView(b.memory.buffer);
    const p = dv.getUint32(8, true);
    const units = dv.getUint32(12, true);
    expect(String.fromCharCode(...new Uint16Array(b.memory.buffer.slice(p, p + 2 * units)))).toBe('héllo');
  });

  it('should drop the handle but keep the value alive elsewhere', () => {
    const a = testInstance();
    const i = errorContextNew(a, a.opts, 0, 0);
    const e = a.handles.get(i);
    errorContextDrop(a, i);
    expect(a.handles.has(i)).toBe(false);
    expect((e as ErrorContext).debugMessage).toBe('');
  });

  it.each([
    ['new with invalid UTF-8', (a: ReturnType<typeof testInstance>) => { a.u8()[0] = 0xff; errorContextNew(a, a.opts, 0, 1); }, 'invalid'],
    ['new out of bounds', (a: ReturnType<typeof testInstance>) => errorContextNew(a, a.opts, 65535, 10), 'out of bounds'],
    ['debug-message of an unknown handle', (a: ReturnType<typeof testInstance>) => errorContextDebugMessage(a, a.opts, 5, 0), 'unknown handle index 5'],
    ['drop of an unknown handle', (a: ReturnType<typeof testInstance>) => errorContextDrop(a, 1), 'unknown handle index 1'],
    ['drop of a non-error-context', (a: ReturnType<typeof testInstance>) => { a.handles.add({ kind: 'other' }); errorContextDrop(a, 1); }, 'expected error-context'],
    ['debug-message to a misaligned pointer', (a: ReturnType<typeof testInstance>) => errorContextDebugMessage(a, a.opts, errorContextNew(a, a.opts, 0, 0), 2), 'unaligned'],
    ['new when the instance may not be left', (a: ReturnType<typeof testInstance>) => { a.mayLeave = false; errorContextNew(a, a.opts, 0, 0); }, 'cannot leave component instance'],
  ])('should trap on %s', (_n, f, msg) => {
    const a = testInstance();
    expect(trapReason(() => f(a))).toContain(msg);
  });

  it('should describe itself', () => {
    expect(String(ErrorContext.fromHost('x'))).toBe('error-context: x');
    expect(cxOf(testInstance())).toBeDefined();
    expect(t.u8.kind).toBe('u8');
  });
});
