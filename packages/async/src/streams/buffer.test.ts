import { t } from '@wasm-components/canonical-abi';
import { describe, expect, it } from 'vitest';
import { cxOf, testInstance, trapReason } from '../test-util/index.js';
import {
  BUFFER_MAX_LENGTH,
  copyElements,
  HostReadableBuffer,
  HostWritableBuffer,
  ReadableGuestBuffer,
  WritableGuestBuffer,
} from './buffer.js';

describe('guest buffers', () => {
  it.each([
    ['a length above the maximum', t.u8, 0, BUFFER_MAX_LENGTH + 1, 'exceeds the maximum'],
    ['a misaligned pointer', t.u32, 2, 1, 'unaligned pointer'],
    ['a range past the end of memory', t.u8, 65530, 8, 'out of bounds'],
    ['a range past the end (u64)', t.u64, 65536 - 8, 2, 'out of bounds'],
  ])('should trap on %s', (_name, elem, ptr, n, msg) => {
    const inst = testInstance();
    expect(trapReason(() => new ReadableGuestBuffer(elem, cxOf(inst), ptr, n))).toContain(msg);
    expect(trapReason(() => new WritableGuestBuffer(elem, cxOf(inst), ptr, n))).toContain(msg);
  });

  it.each([
    ['a zero-length misaligned buffer', t.u32, 3, 0],
    ['an untyped buffer anywhere', undefined, 0xffff_fff0, 16],
    ['a buffer ending exactly at the end of memory', t.u8, 65528, 8],
  ])('should accept %s', (_name, elem, ptr, n) => {
    const inst = testInstance();
    expect(new ReadableGuestBuffer(elem, cxOf(inst), ptr, n).remain()).toBe(n);
  });

  it('should read u8 elements as one Uint8Array copy and advance', () => {
    const inst = testInstance();
    inst.u8().set([1, 2, 3, 4, 5], 100);
    const b = new ReadableGuestBuffer(t.u8, cxOf(inst), 100, 5);
    const first = b.read(2);
    expect(first).toBeInstanceOf(Uint8Array);
    expect([...(first as Uint8Array)]).toEqual([1, 2]);
    inst.u8()[100] = 99; // the batch owns its bytes
    expect((first as Uint8Array)[0]).toBe(1);
    expect([...(b.read(3) as Uint8Array)]).toEqual([3, 4, 5]);
    expect(b.remain()).toBe(0);
    expect(b.progress).toBe(5);
  });

  it('should read and write typed number elements little-endian', () => {
    const inst = testInstance();
    const w = new WritableGuestBuffer(t.s32, cxOf(inst), 64, 3);
    w.write(new Int32Array([-1, 7, 0x12345678]));
    expect(new DataView(inst.memory.buffer).getInt32(68, true)).toBe(7);
    const r = new ReadableGuestBuffer(t.s32, cxOf(inst), 64, 3);
    expect([...(r.read(3) as Int32Array)]).toEqual([-1, 7, 0x12345678]);
  });

  it('should store a plain array of numbers through the checked storer', () => {
    const inst = testInstance();
    const w = new WritableGuestBuffer(t.u16, cxOf(inst), 0, 2);
    w.write([1, 65535]);
    expect([...new Uint16Array(inst.memory.buffer, 0, 2)]).toEqual([1, 65535]);
  });

  it('should read and write strings through lifting and lowering', () => {
    const a = testInstance();
    const b = testInstance();
    const w = new WritableGuestBuffer(t.string, cxOf(a), 8, 2);
    w.write(['hi', 'there']);
    const r = new ReadableGuestBuffer(t.string, cxOf(a), 8, 2);
    const vs = r.read(2);
    expect(Array.from(vs)).toEqual(['hi', 'there']);
    const w2 = new WritableGuestBuffer(t.string, cxOf(b), 16, 2);
    w2.write(vs);
    expect(Array.from(new ReadableGuestBuffer(t.string, cxOf(b), 16, 2).read(2))).toEqual(['hi', 'there']);
  });

  it('should count elements of a buffer without element type', () => {
    const inst = testInstance();
    const r = new ReadableGuestBuffer(undefined, cxOf(inst), 0, 3);
    expect(r.read(2).length).toBe(2);
    const w = new WritableGuestBuffer(undefined, cxOf(inst), 0, 3);
    w.write({ length: 3 });
    expect(w.remain()).toBe(0);
  });
});

describe('copyElements', () => {
  it('should copy bytes between two memories', () => {
    const a = testInstance();
    const b = testInstance();
    a.u8().set([9, 8, 7, 6], 10);
    const src = new ReadableGuestBuffer(t.u8, cxOf(a), 10, 4);
    const dst = new WritableGuestBuffer(t.u8, cxOf(b), 20, 3);
    copyElements(dst, src, 3);
    expect([...b.u8().subarray(20, 24)]).toEqual([9, 8, 7, 0]);
    expect(src.remain()).toBe(1);
    expect(dst.remain()).toBe(0);
    expect(src.ptr).toBe(13);
  });

  it('should behave like memmove for overlapping ranges of one memory', () => {
    const a = testInstance();
    a.u8().set([1, 2, 3, 4], 0);
    const src = new ReadableGuestBuffer(t.u8, cxOf(a), 0, 4);
    const dst = new WritableGuestBuffer(t.u8, cxOf(a), 1, 4);
    copyElements(dst, src, 4);
    expect([...a.u8().subarray(0, 5)]).toEqual([1, 1, 2, 3, 4]);
  });

  it('should move host typed arrays into memory without copying them first', () => {
    const a = testInstance();
    const src = new HostReadableBuffer(t.u8, new Uint8Array([5, 6, 7]));
    const dst = new WritableGuestBuffer(t.u8, cxOf(a), 0, 2);
    copyElements(dst, src, 2);
    expect([...a.u8().subarray(0, 3)]).toEqual([5, 6, 0]);
    expect(src.remain()).toBe(1);
  });

  it('should collect guest elements into a host buffer and join them', () => {
    const a = testInstance();
    a.u8().set([1, 2, 3, 4], 0);
    const dst = new HostWritableBuffer(t.u8, 10);
    copyElements(dst, new ReadableGuestBuffer(t.u8, cxOf(a), 0, 2), 2);
    copyElements(dst, new ReadableGuestBuffer(t.u8, cxOf(a), 2, 2), 2);
    const got = dst.take();
    expect(got).toBeInstanceOf(Uint8Array);
    expect([...(got as Uint8Array)]).toEqual([1, 2, 3, 4]);
    expect(dst.remain()).toBe(6);
  });

  it('should join host arrays of non-number values', () => {
    const dst = new HostWritableBuffer(t.string, 4);
    copyElements(dst, new HostReadableBuffer(t.string, ['a', 'b']), 2);
    copyElements(dst, new HostReadableBuffer(t.string, ['c']), 1);
    expect(dst.take()).toEqual(['a', 'b', 'c']);
  });
});

describe('copyElements between components', () => {
  it('should keep duplicate map keys (maps are lists of pairs between components)', () => {
    const a = testInstance();
    const b = testInstance();
    const elem = t.map(t.u8, t.u8);
    new WritableGuestBuffer(elem, cxOf(a), 8, 1).write([[[1, 2], [1, 3]]]);
    copyElements(new WritableGuestBuffer(elem, cxOf(b), 16, 1), new ReadableGuestBuffer(elem, cxOf(a), 8, 1), 1);
    const cx = cxOf(b);
    cx.mapsAsPairs = true;
    expect(Array.from(new ReadableGuestBuffer(elem, cx, 16, 1).read(1))).toEqual([[[1, 2], [1, 3]]]);
  });
});
