/**
 * fast-check arbitraries for the component type, extern and alias AST nodes.
 *
 * Every value produced is in the canonical shape the readers produce (no
 * optional key set to `undefined`, no padding, only byte forms the readers
 * accept), so `write` then `read` must give back a deep-equal node: that is
 * the property the codec tests check. Test-only: not exported from the
 * package entry point.
 *
 * @module
 */
import fc from 'fast-check';
import type { RecGroup, SubType, ExternType, CoreImport } from '../../core/ast.js';
import type { ValType } from '../../core/types.js';
import type { Alias } from '../alias.js';
import type { CoreSort, ExternDesc, ExternName, NameAttribute, Sort, TypeBound } from '../externs.js';
import type {
  ComponentTypeDecl,
  ComponentValType,
  CoreTypeDef,
  DefValType,
  InstanceTypeDecl,
  ModuleTypeDecl,
  NamedValType,
  PrimitiveValType,
  TypeDef,
  VariantCase,
} from '../types.js';

/** Any u32 (indices, counts, lengths). Small values are favoured by fast-check's bias. */
export const arbU32: fc.Arbitrary<number> = fc.integer({ min: 0, max: 0xffffffff });

/** Names: short ASCII and full-Unicode strings (well-formed, so UTF-8 round-trips). */
export const arbName: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.constantFrom('a', 'wasi:http/types@0.2.0', '[method]r.m', 'unlocked-dep=<a:b@{>=1.2.3}>', 'url=<https://x/y.wasm>'),
);

const primitives: readonly PrimitiveValType[] = [
  'bool',
  's8',
  'u8',
  's16',
  'u16',
  's32',
  'u32',
  's64',
  'u64',
  'f32',
  'f64',
  'char',
  'string',
  'error-context',
];

/** A primitive value type. */
export const arbPrimitiveValType: fc.Arbitrary<PrimitiveValType> = fc.constantFrom(...primitives);

/** A component value type: a primitive or a (non-negative s33) type index. */
export const arbComponentValType: fc.Arbitrary<ComponentValType> = fc.oneof(
  arbPrimitiveValType,
  arbU32.map((index): ComponentValType => ({ kind: 'index', index })),
);

const arbNamed: fc.Arbitrary<NamedValType> = fc.tuple(arbName, arbComponentValType).map(([name, type]) => ({ name, type }));
const arbOptVal: fc.Arbitrary<ComponentValType | undefined> = fc.option(arbComponentValType, { nil: undefined });

/** A defined value type (`defvaltype`), every constructor. */
export const arbDefValType: fc.Arbitrary<DefValType> = fc.oneof(
  arbPrimitiveValType.map((type): DefValType => ({ kind: 'primitive', type })),
  fc.array(arbNamed, { maxLength: 4 }).map((fields): DefValType => ({ kind: 'record', fields })),
  fc
    .array(
      fc.tuple(arbName, arbOptVal).map(([name, type]): VariantCase => (type === undefined ? { name } : { name, type })),
      { maxLength: 4 },
    )
    .map((cases): DefValType => ({ kind: 'variant', cases })),
  arbComponentValType.map((element): DefValType => ({ kind: 'list', element })),
  fc.tuple(arbComponentValType, arbU32).map(([element, length]): DefValType => ({ kind: 'fixed-length-list', element, length })),
  fc.array(arbComponentValType, { maxLength: 4 }).map((types): DefValType => ({ kind: 'tuple', types })),
  fc.array(arbName, { maxLength: 4 }).map((names): DefValType => ({ kind: 'flags', names })),
  fc.array(arbName, { maxLength: 4 }).map((names): DefValType => ({ kind: 'enum', names })),
  arbComponentValType.map((type): DefValType => ({ kind: 'option', type })),
  fc.tuple(arbOptVal, arbOptVal).map(([ok, err]): DefValType => {
    if (ok === undefined) return err === undefined ? { kind: 'result' } : { kind: 'result', err };
    return err === undefined ? { kind: 'result', ok } : { kind: 'result', ok, err };
  }),
  arbU32.map((type): DefValType => ({ kind: 'own', type })),
  arbU32.map((type): DefValType => ({ kind: 'borrow', type })),
  arbOptVal.map((element): DefValType => (element === undefined ? { kind: 'stream' } : { kind: 'stream', element })),
  arbOptVal.map((element): DefValType => (element === undefined ? { kind: 'future' } : { kind: 'future', element })),
  fc.tuple(arbComponentValType, arbComponentValType).map(([key, value]): DefValType => ({ kind: 'map', key, value })),
);

// ---------------------------------------------------------------------------
// Externs and aliases
// ---------------------------------------------------------------------------

/** A name attribute of any kind. */
export const arbNameAttribute: fc.Arbitrary<NameAttribute> = fc
  .tuple(fc.constantFrom('implements' as const, 'versionsuffix' as const, 'external-id' as const), arbName)
  .map(([kind, value]) => ({ kind, value }));

/** An extern name in any of its three binary forms (attributes may repeat a kind: well-formed, only validation rejects it). */
export const arbExternName: fc.Arbitrary<ExternName> = fc.oneof(
  arbName.map((name): ExternName => ({ form: 'plain', name })),
  arbName.map((name): ExternName => ({ form: 'plain-01', name })),
  fc
    .tuple(arbName, fc.array(arbNameAttribute, { maxLength: 3 }))
    .map(([name, attributes]): ExternName => ({ form: 'attributes', name, attributes })),
);

const arbTypeBound: fc.Arbitrary<TypeBound> = fc.oneof(
  arbU32.map((type): TypeBound => ({ kind: 'eq', type })),
  fc.constant<TypeBound>({ kind: 'sub-resource' }),
);

/** An extern descriptor of any kind. */
export const arbExternDesc: fc.Arbitrary<ExternDesc> = fc.oneof(
  arbU32.map((type): ExternDesc => ({ kind: 'module', type })),
  arbU32.map((type): ExternDesc => ({ kind: 'func', type })),
  arbComponentValType.map((type): ExternDesc => ({ kind: 'value', type })),
  arbTypeBound.map((bound): ExternDesc => ({ kind: 'type', bound })),
  arbU32.map((type): ExternDesc => ({ kind: 'component', type })),
  arbU32.map((type): ExternDesc => ({ kind: 'instance', type })),
);

/** Sorts a component `sortidx` can carry (what `readSort` accepts). */
export const arbSort: fc.Arbitrary<Sort> = fc.constantFrom<Sort>('core module', 'func', 'value', 'type', 'component', 'instance');

/** Core sorts a core instance can export (what `readCoreSort` accepts). */
export const arbCoreExportSort: fc.Arbitrary<CoreSort> = fc.constantFrom<CoreSort>('func', 'table', 'memory', 'global', 'tag');

/** An alias of any target, with a sort that target allows. */
export const arbAlias: fc.Arbitrary<Alias> = fc.oneof(
  fc
    .tuple(arbSort, arbU32, arbName)
    .map(([sort, instance, name]): Alias => ({ kind: 'instance-export', sort, instance, name })),
  fc
    .tuple(fc.constantFrom<Sort>('core func', 'core table', 'core memory', 'core global', 'core tag', 'core func-exact'), arbU32, arbName)
    .map(([sort, instance, name]): Alias => ({ kind: 'core-instance-export', sort, instance, name })),
  fc
    .tuple(fc.constantFrom<Sort>('core type', 'core module', 'type', 'component'), arbU32, arbU32)
    .map(([sort, count, index]): Alias => ({ kind: 'outer', sort, count, index })),
);

// ---------------------------------------------------------------------------
// Core types (a small, valid subset of the core AST)
// ---------------------------------------------------------------------------

const arbCoreValType: fc.Arbitrary<ValType> = fc.constantFrom<ValType>('i32', 'i64', 'f32', 'f64', 'v128');

const arbSubType: fc.Arbitrary<SubType> = fc
  .tuple(
    fc.array(arbCoreValType, { maxLength: 3 }),
    fc.array(arbCoreValType, { maxLength: 2 }),
    fc.constantFrom('bare', 'final-prefixed', 'final-super', 'open') as fc.Arbitrary<'bare' | 'final-prefixed' | 'final-super' | 'open'>,
    fc.array(arbU32, { maxLength: 1 }),
  )
  .map(([params, results, shape, supers]): SubType => {
    const type = { kind: 'func' as const, params, results };
    switch (shape) {
      case 'bare':
        return { kind: 'sub', final: true, supertypes: [], shared: false, type };
      case 'final-prefixed':
        return { kind: 'sub', final: true, supertypes: [], prefixed: true, shared: false, type };
      case 'final-super':
        return supers.length === 0
          ? { kind: 'sub', final: true, supertypes: [], prefixed: true, shared: false, type }
          : { kind: 'sub', final: true, supertypes: supers, shared: false, type };
      default:
        return { kind: 'sub', final: false, supertypes: supers, shared: false, type };
    }
  });

/** A core recursion group of function types, with or without the `rec` wrapper. */
export const arbRecGroup: fc.Arbitrary<RecGroup> = fc.oneof(
  arbSubType.map((t): RecGroup => ({ kind: 'rec', rec: false, types: [t] })),
  fc.array(arbSubType, { maxLength: 3 }).map((types): RecGroup => ({ kind: 'rec', rec: true, types })),
);

const arbCoreExternType: fc.Arbitrary<ExternType> = fc.oneof(
  arbU32.map((type): ExternType => ({ kind: 'func', type })),
  fc.tuple(arbCoreValType, fc.boolean()).map(([type, mutable]): ExternType => ({ kind: 'global', type, mutable, shared: false })),
  fc
    .tuple(arbU32, fc.option(arbU32, { nil: undefined }))
    .map(([min, max]): ExternType => ({
      kind: 'memory',
      memory64: false,
      shared: false,
      limits: max === undefined ? { min: BigInt(min) } : { min: BigInt(min), max: BigInt(max) },
    })),
  arbU32.map((type): ExternType => ({ kind: 'tag', type })),
);

const arbModuleTypeDeclLeaf: fc.Arbitrary<ModuleTypeDecl> = fc.oneof(
  fc
    .tuple(arbName, arbName, arbCoreExternType)
    .map(([module, name, type]): ModuleTypeDecl => ({ kind: 'import', import: { kind: 'import', module, name, type } satisfies CoreImport })),
  arbRecGroup.map((group): ModuleTypeDecl => ({ kind: 'type', type: { kind: 'rec', group } })),
  fc.tuple(arbU32, arbU32).map(([count, index]): ModuleTypeDecl => ({ kind: 'alias', count, index })),
  fc.tuple(arbName, arbCoreExternType).map(([name, type]): ModuleTypeDecl => ({ kind: 'export', name, type })),
);

/**
 * Module type declarations, including (rarely) a nested core module type in a
 * `type` declarator: well-formed, rejected only by validation.
 */
const arbModuleTypeDecl: fc.Arbitrary<ModuleTypeDecl> = fc.oneof(
  { arbitrary: arbModuleTypeDeclLeaf, weight: 8 },
  {
    arbitrary: fc.array(arbModuleTypeDeclLeaf, { maxLength: 2 }).map((decls): ModuleTypeDecl => ({ kind: 'type', type: { kind: 'module', decls } })),
    weight: 1,
  },
);

/** A core type definition: a rec group or a module type. */
export const arbCoreTypeDef: fc.Arbitrary<CoreTypeDef> = fc.oneof(
  arbRecGroup.map((group): CoreTypeDef => ({ kind: 'rec', group })),
  fc.array(arbModuleTypeDecl, { maxLength: 4 }).map((decls): CoreTypeDef => ({ kind: 'module', decls })),
);

// ---------------------------------------------------------------------------
// Component types (recursive through component and instance types)
// ---------------------------------------------------------------------------

/**
 * A component type definition, nesting component/instance types at most
 * `depth` levels (default 2) so values stay small.
 */
export function arbTypeDefOfDepth(depth: number): fc.Arbitrary<TypeDef> {
  const leaves: fc.Arbitrary<TypeDef>[] = [
    arbDefValType,
    fc
      .tuple(fc.boolean(), fc.array(arbNamed, { maxLength: 3 }), arbOptVal)
      .map(([async, params, result]): TypeDef => (result === undefined ? { kind: 'func', async, params } : { kind: 'func', async, params, result })),
    fc
      .tuple(fc.constantFrom<ValType>('i32', 'i64'), fc.option(arbU32, { nil: undefined }))
      .map(([rep, dtor]): TypeDef => (dtor === undefined ? { kind: 'resource', rep } : { kind: 'resource', rep, dtor })),
  ];
  if (depth <= 0) return fc.oneof(...leaves);
  const inner = arbTypeDefOfDepth(depth - 1);
  const instanceDecl: fc.Arbitrary<InstanceTypeDecl> = fc.oneof(
    arbCoreTypeDef.map((type): InstanceTypeDecl => ({ kind: 'core-type', type })),
    inner.map((type): InstanceTypeDecl => ({ kind: 'type', type })),
    arbAlias.map((alias): InstanceTypeDecl => ({ kind: 'alias', alias })),
    fc.tuple(arbExternName, arbExternDesc).map(([name, desc]): InstanceTypeDecl => ({ kind: 'export', name, desc })),
  );
  const componentDecl: fc.Arbitrary<ComponentTypeDecl> = fc.oneof(
    instanceDecl,
    fc.tuple(arbExternName, arbExternDesc).map(([name, desc]): ComponentTypeDecl => ({ kind: 'import', name, desc })),
  );
  return fc.oneof(
    ...leaves,
    fc.array(componentDecl, { maxLength: 3 }).map((decls): TypeDef => ({ kind: 'component', decls })),
    fc.array(instanceDecl, { maxLength: 3 }).map((decls): TypeDef => ({ kind: 'instance', decls })),
  );
}

/** A component type definition (nesting at most two levels). */
export const arbTypeDef: fc.Arbitrary<TypeDef> = arbTypeDefOfDepth(2);
