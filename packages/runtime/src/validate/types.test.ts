import { describe, expect, it } from 'vitest';
import { type DefinedShape, type DefinedTy, type ValTy, Subtyping, Substitution, flattenType, freshResourceId, sizeAlign } from './types.js';

const d = (shape: DefinedShape): DefinedTy => ({ kind: 'defined', shape });
const r1 = { kind: 'resource', id: freshResourceId() } as const;
const r2 = { kind: 'resource', id: freshResourceId() } as const;

describe('flattenType', () => {
  it.each([
    ['u32', 'u32', ['i32']],
    ['u64', 'u64', ['i64']],
    ['string', 'string', ['i32', 'i32']],
    ['a record', d({ kind: 'record', fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'f64' }] }), ['i32', 'f64']],
    ['an option of f32', d({ kind: 'option', type: 'f32' }), ['i32', 'f32']],
    ['a result joining i32 and f32', d({ kind: 'result', ok: 'u32', err: 'f32' }), ['i32', 'i32']],
    ['a variant joining f32 and u64', d({ kind: 'variant', cases: [{ name: 'f', type: 'f32' }, { name: 'l', type: 'u64' }] }), ['i32', 'i64']],
    ['a fixed list', d({ kind: 'fixed-length-list', element: 'u16', length: 3 }), ['i32', 'i32', 'i32']],
    ['an own handle', d({ kind: 'own', resource: r1 }), ['i32']],
  ] as const)('should flatten %s', (_n, t, want) => {
    expect(flattenType(t as ValTy)).toEqual(want);
  });
});

describe('sizeAlign', () => {
  it.each([
    ['u8', 'u8', 1, 1],
    ['a record of u8 and u32', d({ kind: 'record', fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'u32' }] }), 8, 4],
    ['an option of u64', d({ kind: 'option', type: 'u64' }), 16, 8],
    ['a list of u8 (64-bit pointers)', d({ kind: 'list', element: 'u8' }), 16, 8],
  ] as const)('should size %s', (_n, t, size, align) => {
    expect(sizeAlign(t as ValTy)).toEqual({ size, align });
  });
});

describe('Subtyping', () => {
  it('should treat value types structurally and resources nominally', () => {
    const a = d({ kind: 'list', element: d({ kind: 'own', resource: r1 }) });
    const b = d({ kind: 'list', element: d({ kind: 'own', resource: { kind: 'resource', id: r1.id } }) });
    const c = d({ kind: 'list', element: d({ kind: 'own', resource: r2 }) });
    expect(new Subtyping().val(a, b)).toBeUndefined();
    expect(new Subtyping().val(a, c)).toContain('resource types are not the same');
  });

  it('should bind a resource of the expected side once', () => {
    const s = new Subtyping(new Set([r2.id]));
    expect(s.resource(r1.id, r2.id)).toBeUndefined();
    expect(s.resource(r1.id, r2.id)).toBeUndefined();
    expect(s.resource(freshResourceId(), r2.id)).toContain('not the same');
  });

  it('should explain function mismatches', () => {
    const f = { kind: 'func', async: false, params: [{ name: 'x', type: 'u32' }] } as const;
    const g = { kind: 'func', async: false, params: [{ name: 'y', type: 'u32' }] } as const;
    expect(new Subtyping().func(f, g)).toBe('expected parameter named `y`, found `x`');
  });
});

describe('Substitution', () => {
  it('should rename resources and share what does not change', () => {
    const own = d({ kind: 'own', resource: r1 });
    const plain = d({ kind: 'list', element: 'u8' });
    const s = new Substitution(new Map([[r1.id, r2.id]]));
    const t = s.defined(own);
    expect(t.shape.kind === 'own' && t.shape.resource.id).toBe(r2.id);
    expect(s.defined(plain)).toBe(plain);
  });
});
