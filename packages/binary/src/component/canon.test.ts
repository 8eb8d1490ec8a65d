import { print } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { type DecodeError, isDecodeError } from '../errors.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { type CanonicalFunction, readCanon, writeCanon } from './canon.js';

function decodeOne(bytes: number[]): CanonicalFunction {
  const r = new Reader(new Uint8Array(bytes));
  const c = readCanon(r);
  expect(r.pos).toBe(bytes.length);
  return c;
}

function encodeOne(c: CanonicalFunction): number[] {
  const w = new Writer();
  writeCanon(w, c);
  return [...w.finish()];
}

// Bytes as wasm-tools 0.254 writes them (checked with `wasm-tools parse`).
const cases: readonly [string, number[], CanonicalFunction][] = [
  ['lift', [0x00, 0x00, 0x05, 0x02, 0x00, 0x03, 0x01, 0x07], { kind: 'lift', func: 5, options: [{ kind: 'string-encoding', encoding: 'utf8' }, { kind: 'memory', index: 1 }], type: 7 }],
  ['lower', [0x01, 0x00, 0x02, 0x01, 0x06], { kind: 'lower', func: 2, options: [{ kind: 'async' }] }],
  ['resource.new', [0x02, 0x03], { kind: 'resource.new', type: 3 }],
  ['resource.drop', [0x03, 0x03], { kind: 'resource.drop', type: 3 }],
  ['resource.rep', [0x04, 0x03], { kind: 'resource.rep', type: 3 }],
  ['task.cancel', [0x05], { kind: 'task.cancel' }],
  ['subtask.cancel', [0x06, 0x00], { kind: 'subtask.cancel', async: false }],
  ['subtask.cancel async', [0x06, 0x01], { kind: 'subtask.cancel', async: true }],
  ['task.return no result', [0x09, 0x01, 0x00, 0x00], { kind: 'task.return', options: [] }],
  ['task.return u32', [0x09, 0x00, 0x79, 0x01, 0x03, 0x00], { kind: 'task.return', result: 'u32', options: [{ kind: 'memory', index: 0 }] }],
  ['context.get', [0x0a, 0x7f, 0x00], { kind: 'context.get', type: 'i32', index: 0 }],
  ['context.set i64', [0x0b, 0x7e, 0x01], { kind: 'context.set', type: 'i64', index: 1 }],
  ['thread.yield', [0x0c, 0x00], { kind: 'thread.yield', cancellable: false }],
  ['subtask.drop', [0x0d], { kind: 'subtask.drop' }],
  ['stream.new', [0x0e, 0x01], { kind: 'stream.new', type: 1 }],
  ['stream.read', [0x0f, 0x01, 0x02, 0x06, 0x03, 0x01], { kind: 'stream.read', type: 1, options: [{ kind: 'async' }, { kind: 'memory', index: 1 }] }],
  ['stream.write', [0x10, 0x01, 0x01, 0x03, 0x02], { kind: 'stream.write', type: 1, options: [{ kind: 'memory', index: 2 }] }],
  ['stream.cancel-read', [0x11, 0x01, 0x00], { kind: 'stream.cancel-read', type: 1, async: false }],
  ['stream.cancel-write async', [0x12, 0x01, 0x01], { kind: 'stream.cancel-write', type: 1, async: true }],
  ['stream.drop-readable', [0x13, 0x01], { kind: 'stream.drop-readable', type: 1 }],
  ['stream.drop-writable', [0x14, 0x01], { kind: 'stream.drop-writable', type: 1 }],
  ['future.new', [0x15, 0x02], { kind: 'future.new', type: 2 }],
  ['future.read', [0x16, 0x02, 0x01, 0x03, 0x03], { kind: 'future.read', type: 2, options: [{ kind: 'memory', index: 3 }] }],
  ['future.write', [0x17, 0x02, 0x00], { kind: 'future.write', type: 2, options: [] }],
  ['future.cancel-read', [0x18, 0x02, 0x00], { kind: 'future.cancel-read', type: 2, async: false }],
  ['future.cancel-write', [0x19, 0x02, 0x01], { kind: 'future.cancel-write', type: 2, async: true }],
  ['future.drop-readable', [0x1a, 0x02], { kind: 'future.drop-readable', type: 2 }],
  ['future.drop-writable', [0x1b, 0x02], { kind: 'future.drop-writable', type: 2 }],
  ['error-context.new', [0x1c, 0x01, 0x03, 0x05], { kind: 'error-context.new', options: [{ kind: 'memory', index: 5 }] }],
  ['error-context.debug-message', [0x1d, 0x02, 0x03, 0x06, 0x04, 0x07], { kind: 'error-context.debug-message', options: [{ kind: 'memory', index: 6 }, { kind: 'realloc', index: 7 }] }],
  ['error-context.drop', [0x1e], { kind: 'error-context.drop' }],
  ['waitable-set.new', [0x1f], { kind: 'waitable-set.new' }],
  ['waitable-set.wait', [0x20, 0x00, 0x07], { kind: 'waitable-set.wait', cancellable: false, memory: 7 }],
  ['waitable-set.poll', [0x21, 0x00, 0x08], { kind: 'waitable-set.poll', cancellable: false, memory: 8 }],
  ['waitable-set.drop', [0x22], { kind: 'waitable-set.drop' }],
  ['waitable.join', [0x23], { kind: 'waitable.join' }],
  ['backpressure.inc', [0x24], { kind: 'backpressure.inc' }],
  ['backpressure.dec', [0x25], { kind: 'backpressure.dec' }],
  ['thread.index', [0x26], { kind: 'thread.index' }],
  ['thread.new-indirect', [0x27, 0x00, 0x01], { kind: 'thread.new-indirect', type: 0, table: 1 }],
  ['thread.resume-later', [0x28], { kind: 'thread.resume-later' }],
  ['thread.suspend', [0x29, 0x00], { kind: 'thread.suspend', cancellable: false }],
  ['thread.suspend-then-resume', [0x2a, 0x00], { kind: 'thread.suspend-then-resume', cancellable: false }],
  ['thread.yield-then-resume', [0x2b, 0x00], { kind: 'thread.yield-then-resume', cancellable: false }],
  ['thread.suspend-then-promote', [0x2c, 0x00], { kind: 'thread.suspend-then-promote', cancellable: false }],
  ['thread.yield-then-promote', [0x2d, 0x00], { kind: 'thread.yield-then-promote', cancellable: false }],
  ['thread.spawn-ref', [0x40, 0x05], { kind: 'thread.spawn-ref', type: 5 }],
  ['thread.spawn-indirect', [0x41, 0x03, 0x04], { kind: 'thread.spawn-indirect', type: 3, table: 4 }],
  ['thread.available-parallelism', [0x42], { kind: 'thread.available-parallelism' }],
  [
    'lift with every option',
    [0x00, 0x00, 0x00, 0x0a, 0x00, 0x01, 0x02, 0x03, 0x01, 0x04, 0x02, 0x05, 0x03, 0x06, 0x07, 0x04, 0x08, 0x05, 0x09, 0x00],
    {
      kind: 'lift',
      func: 0,
      options: [
        { kind: 'string-encoding', encoding: 'utf8' },
        { kind: 'string-encoding', encoding: 'utf16' },
        { kind: 'string-encoding', encoding: 'latin1+utf16' },
        { kind: 'memory', index: 1 },
        { kind: 'realloc', index: 2 },
        { kind: 'post-return', index: 3 },
        { kind: 'async' },
        { kind: 'callback', index: 4 },
        { kind: 'core-type', index: 5 },
        { kind: 'gc' },
      ],
      type: 0,
    },
  ],
];

describe('canon', () => {
  it.each(cases)('should decode and re-encode %s', (_name, bytes, node) => {
    expect(decodeOne(bytes)).toEqual(node);
    expect(encodeOne(node)).toEqual(bytes);
  });

  const bad: readonly [string, number[]][] = [
    ['an unknown opcode', [0x2e]],
    ['an opcode between the async and thread ranges', [0x3f]],
    ['lift without the core func sort byte', [0x00, 0x01, 0x00, 0x00, 0x00]],
    ['lower without the func sort byte', [0x01, 0x01, 0x00, 0x00]],
    ['an unknown canonical option', [0x01, 0x00, 0x00, 0x01, 0x0a]],
    ['a non-boolean async flag', [0x06, 0x02]],
    ['a cancel? byte other than 0x00 or 0x01', [0x0c, 0x02]],
    ['a cancel? byte other than 0x00 or 0x01 in waitable-set.wait', [0x20, 0x02, 0x00]],
    ['task.return with named results', [0x09, 0x01, 0x01]],
    ['task.return with a bad result form', [0x09, 0x02]],
    ['a truncated stream.read', [0x0f, 0x01]],
    ['an option count past the end', [0x1c, 0x05]],
  ];
  it.each(bad)('should reject %s with a DecodeError', (_name, bytes) => {
    let err: unknown;
    try {
      decodeOne(bytes);
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
  });

  // `cancellable` (cancel? byte 0x01): current grammar at spec 6d28164 (binary.wast
  // uses it in a well-formed component), but rejected by wasmparser 0.254.
  const cancellable: readonly [string, number[], CanonicalFunction][] = [
    ['thread.yield cancellable', [0x0c, 0x01], { kind: 'thread.yield', cancellable: true }],
    ['thread.suspend cancellable', [0x29, 0x01], { kind: 'thread.suspend', cancellable: true }],
    ['thread.suspend-then-resume cancellable', [0x2a, 0x01], { kind: 'thread.suspend-then-resume', cancellable: true }],
    ['thread.yield-then-resume cancellable', [0x2b, 0x01], { kind: 'thread.yield-then-resume', cancellable: true }],
    ['thread.suspend-then-promote cancellable', [0x2c, 0x01], { kind: 'thread.suspend-then-promote', cancellable: true }],
    ['thread.yield-then-promote cancellable', [0x2d, 0x01], { kind: 'thread.yield-then-promote', cancellable: true }],
    ['waitable-set.wait cancellable', [0x20, 0x01, 0x02], { kind: 'waitable-set.wait', cancellable: true, memory: 2 }],
    ['waitable-set.poll cancellable', [0x21, 0x01, 0x03], { kind: 'waitable-set.poll', cancellable: true, memory: 3 }],
  ];
  it.each(cancellable)('should decode and re-encode %s (spec 6d28164)', (_name, bytes, node) => {
    expect(decodeOne(bytes)).toEqual(node);
    expect(encodeOne(node)).toEqual(bytes);
  });
  it.each(cancellable)('should know that wasm-tools 0.254 still rejects %s', async (_name, bytes) => {
    const body = [0x01, ...bytes];
    const component = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x08, body.length, ...body]);
    await expect(print(component)).rejects.toThrow(/cancellable/);
  });

  // Differential check: wasmparser 0.254 (through wasmprinter) reads every other encoding as the same built-in.
  it.each(cases)('should write %s so that wasm-tools reads it', async (_name, bytes, node) => {
    const body = [0x01, ...encodeOne(node)];
    const component = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x08, body.length, ...body]);
    const text = await print(component);
    const printed = node.kind === 'thread.available-parallelism' ? 'thread.available_parallelism' : node.kind;
    expect(text).toContain(`(canon ${printed}`);
    expect(bytes.length).toBeGreaterThan(0);
  });

  // Encodings removed from the grammar (and a cancel? byte out of range):
  // wasm-tools 0.254 rejects each of them while reading, and so do we, with a
  // malformed DecodeError at the offending byte that says what was expected.
  const removed: readonly [string, number[], number, RegExp][] = [
    ['resource.drop async (removed opcode 0x07)', [0x07, 0x03], 0, /0x07 \(resource\.drop async\) was removed/],
    ['backpressure.set (removed opcode 0x08)', [0x08], 0, /0x08 \(backpressure\.set\) was removed/],
    ['a cancel? byte 0x02', [0x0c, 0x02], 1, /cancel\? byte \(0x00, or 0x01 cancellable\)/],
  ];
  it.each(removed)('should reject %s with a malformed DecodeError at its offset', (_name, bytes, offset, expected) => {
    let err: unknown;
    try {
      decodeOne(bytes);
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
    const e = err as DecodeError;
    expect(e.code).toBe('malformed');
    expect(e.offset).toBe(offset);
    expect(e.expected).toMatch(expected);
    expect(e.found).toBe(`0x${bytes[offset]!.toString(16).padStart(2, '0')}`);
  });

  it.each(removed)('should agree with wasm-tools 0.254, which rejects %s', async (_name, bytes) => {
    const body = [0x01, ...bytes];
    const component = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x08, body.length, ...body]);
    await expect(print(component)).rejects.toThrow();
  });

  it('should reject an unknown kind when encoding', () => {
    expect(() => encodeOne({ kind: 'nope' } as unknown as CanonicalFunction)).toThrow(/unknown canonical function/);
  });
});
