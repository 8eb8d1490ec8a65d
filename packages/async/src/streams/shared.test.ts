import { t } from '@wasm-components/canonical-abi';
import { describe, expect, it } from 'vitest';
import { trapReason } from '../test-util/index.js';
import { HostReadableBuffer, HostWritableBuffer } from './buffer.js';
import { CopyResult, type ReclaimBuffer, SharedFuture, SharedStream } from './shared.js';

/** Records the callbacks one side of a copy receives. */
function side(): { log: string[]; onCopy: (r: ReclaimBuffer) => void; onCopyDone: (r: CopyResult) => void; reclaim?: ReclaimBuffer } {
  const s: { log: string[]; onCopy: (r: ReclaimBuffer) => void; onCopyDone: (r: CopyResult) => void; reclaim?: ReclaimBuffer } = {
    log: [],
    onCopy: (r) => {
      s.log.push('copy');
      s.reclaim = r;
    },
    onCopyDone: (r) => s.log.push(`done:${r}`),
  };
  return s;
}

const A = { name: 'A' };
const B = { name: 'B' };

describe('SharedStream', () => {
  it('should leave the first side pending and copy when the second arrives (reader first)', () => {
    const s = new SharedStream(t.u8);
    const r = side();
    const w = side();
    const dst = new HostWritableBuffer(t.u8, 4);
    s.read(A, dst, r.onCopy, r.onCopyDone);
    expect(r.log).toEqual([]);
    expect(s.pendingBuffer).toBe(dst);
    s.write(B, new HostReadableBuffer(t.u8, new Uint8Array([1, 2])), w.onCopy, w.onCopyDone);
    expect(w.log).toEqual([`done:${CopyResult.COMPLETED}`]);
    expect(r.log).toEqual(['copy']);
    expect([...(dst.take() as Uint8Array)]).toEqual([1, 2]);
    // The reader's buffer stays pending until it reclaims it.
    expect(s.pendingBuffer).toBe(dst);
    r.reclaim?.();
    expect(s.pendingBuffer).toBeUndefined();
  });

  it('should copy min(remain) elements (writer first, partial write)', () => {
    const s = new SharedStream(t.u8);
    const r = side();
    const w = side();
    const src = new HostReadableBuffer(t.u8, new Uint8Array([1, 2, 3, 4, 5]));
    s.write(A, src, w.onCopy, w.onCopyDone);
    const dst = new HostWritableBuffer(t.u8, 3);
    s.read(B, dst, r.onCopy, r.onCopyDone);
    expect(r.log).toEqual([`done:${CopyResult.COMPLETED}`]);
    expect(w.log).toEqual(['copy']);
    expect(src.remain()).toBe(2);
    expect(dst.progress).toBe(3);
  });

  it('should complete a pending zero-length write and take its place on read', () => {
    const s = new SharedStream(t.u8);
    const r = side();
    const w = side();
    s.write(A, new HostReadableBuffer(t.u8, new Uint8Array(0)), w.onCopy, w.onCopyDone);
    const dst = new HostWritableBuffer(t.u8, 2);
    s.read(B, dst, r.onCopy, r.onCopyDone);
    expect(w.log).toEqual([`done:${CopyResult.COMPLETED}`]);
    expect(r.log).toEqual([]);
    expect(s.pendingBuffer).toBe(dst);
  });

  it('should complete a zero-length write against a zero-length pending read without disturbing it', () => {
    const s = new SharedStream(t.u8);
    const r = side();
    const w = side();
    const dst = new HostWritableBuffer(t.u8, 0);
    s.read(A, dst, r.onCopy, r.onCopyDone);
    s.write(B, new HostReadableBuffer(t.u8, new Uint8Array(0)), w.onCopy, w.onCopyDone);
    expect(w.log).toEqual([`done:${CopyResult.COMPLETED}`]);
    expect(r.log).toEqual([]);
    expect(s.pendingBuffer).toBe(dst);
  });

  it('should complete a pending zero-length read and wait in its place on a non-empty write', () => {
    const s = new SharedStream(t.u8);
    const r = side();
    const w = side();
    s.read(A, new HostWritableBuffer(t.u8, 0), r.onCopy, r.onCopyDone);
    const src = new HostReadableBuffer(t.u8, new Uint8Array([1]));
    s.write(B, src, w.onCopy, w.onCopyDone);
    expect(r.log).toEqual([`done:${CopyResult.COMPLETED}`]);
    expect(w.log).toEqual([]);
    expect(s.pendingBuffer).toBe(src);
  });

  it('should complete a zero-length read against a pending non-empty write without copying', () => {
    const s = new SharedStream(t.u8);
    const r = side();
    const w = side();
    const src = new HostReadableBuffer(t.u8, new Uint8Array([1]));
    s.write(A, src, w.onCopy, w.onCopyDone);
    s.read(B, new HostWritableBuffer(t.u8, 0), r.onCopy, r.onCopyDone);
    expect(r.log).toEqual([`done:${CopyResult.COMPLETED}`]);
    expect(w.log).toEqual([]);
    expect(src.remain()).toBe(1);
  });

  it.each(['read', 'write'] as const)('should report DROPPED to a pending %s and to every later operation', (first) => {
    const s = new SharedStream(t.u8);
    const p = side();
    if (first === 'read') s.read(A, new HostWritableBuffer(t.u8, 1), p.onCopy, p.onCopyDone);
    else s.write(A, new HostReadableBuffer(t.u8, new Uint8Array(1)), p.onCopy, p.onCopyDone);
    s.drop();
    expect(p.log).toEqual([`done:${CopyResult.DROPPED}`]);
    const later = side();
    s.read(B, new HostWritableBuffer(t.u8, 1), later.onCopy, later.onCopyDone);
    s.write(B, new HostReadableBuffer(t.u8, new Uint8Array(1)), later.onCopy, later.onCopyDone);
    expect(later.log).toEqual([`done:${CopyResult.DROPPED}`, `done:${CopyResult.DROPPED}`]);
    s.drop(); // idempotent
  });

  it('should report CANCELLED to the pending side on cancel', () => {
    const s = new SharedStream(t.u8);
    const p = side();
    s.read(A, new HostWritableBuffer(t.u8, 1), p.onCopy, p.onCopyDone);
    s.cancel();
    expect(p.log).toEqual([`done:${CopyResult.CANCELLED}`]);
    expect(s.pendingBuffer).toBeUndefined();
  });

  it.each([
    ['u8 (a number type)', t.u8, false],
    ['f64', t.f64, false],
    ['no element type', undefined, false],
    ['char', t.char, true],
    ['string', t.string, true],
  ])('should apply the same-instance rule for %s', (_n, elem, traps) => {
    const s = new SharedStream(elem);
    const p = side();
    s.read(A, new HostWritableBuffer(elem, 1), p.onCopy, p.onCopyDone);
    const go = (): void => s.write(A, new HostReadableBuffer(elem, elem === undefined ? { length: 1 } : [elem.kind === 'f64' ? 1 : 'x']), p.onCopy, p.onCopyDone);
    if (traps) expect(trapReason(go)).toContain('cannot read from and write to intra-component');
    else go();
  });

  it('should not apply the same-instance rule to host operations', () => {
    const s = new SharedStream(t.string);
    const p = side();
    s.read(undefined, new HostWritableBuffer(t.string, 1), p.onCopy, p.onCopyDone);
    s.write(undefined, new HostReadableBuffer(t.string, ['x']), p.onCopy, p.onCopyDone);
    expect(p.log).toEqual(['copy', `done:${CopyResult.COMPLETED}`]);
  });
});

describe('SharedFuture', () => {
  it.each(['read', 'write'] as const)('should rendezvous when the %s comes first', (first) => {
    const f = new SharedFuture(t.string);
    const r = side();
    const w = side();
    const dst = new HostWritableBuffer(t.string, 1);
    const src = new HostReadableBuffer(t.string, ['v']);
    if (first === 'read') {
      f.read(A, dst, r.onCopyDone);
      f.write(B, src, w.onCopyDone);
    } else {
      f.write(A, src, w.onCopyDone);
      f.read(B, dst, r.onCopyDone);
    }
    expect(r.log).toEqual([`done:${CopyResult.COMPLETED}`]);
    expect(w.log).toEqual([`done:${CopyResult.COMPLETED}`]);
    expect(dst.take()).toEqual(['v']);
    expect(f.pendingBuffer).toBeUndefined();
  });

  it('should report DROPPED to a pending write and to a write after drop', () => {
    const f = new SharedFuture(t.u32);
    const w = side();
    f.write(A, new HostReadableBuffer(t.u32, new Uint32Array([1])), w.onCopyDone);
    f.drop();
    f.write(A, new HostReadableBuffer(t.u32, new Uint32Array([1])), w.onCopyDone);
    expect(w.log).toEqual([`done:${CopyResult.DROPPED}`, `done:${CopyResult.DROPPED}`]);
  });

  it('should report CANCELLED on cancel', () => {
    const f = new SharedFuture(t.u32);
    const r = side();
    f.read(A, new HostWritableBuffer(t.u32, 1), r.onCopyDone);
    f.cancel();
    expect(r.log).toEqual([`done:${CopyResult.CANCELLED}`]);
  });

  it('should trap on a same-instance copy of a char future', () => {
    const f = new SharedFuture(t.char);
    const r = side();
    f.read(A, new HostWritableBuffer(t.char, 1), r.onCopyDone);
    expect(trapReason(() => f.write(A, new HostReadableBuffer(t.char, ['x']), r.onCopyDone))).toContain(
      'cannot read from and write to intra-component future',
    );
  });
});
