/**
 * fast-check arbitraries for whole components and the section nodes of
 * `ast.ts`, `canon.ts`, `instances.ts` and `name-section.ts`.
 *
 * Every value produced is in the canonical shape the readers produce (no
 * optional key set to `undefined`, no padding, no `offset`, only byte forms
 * the readers accept, and no custom section that the decoder would turn into
 * a typed node), so `writeComponent` then `readComponent` must give back a
 * deep-equal node once offsets are stripped. Test-only: not exported from the
 * package entry point.
 *
 * @module
 */
import fc from 'fast-check';
import { arbModule, arbValType } from '../../core/testing/arbitraries.js';
import type { Component, ComponentExport, ComponentImport, ComponentSection, ComponentValue } from '../ast.js';
import type { CanonicalFunction, CanonOpt, CancelCanonKind, NullaryCanonKind, TypedAsyncCanonKind, TypedCanonKind, TypedOptsCanonKind } from '../canon.js';
import type { CoreInstance, Instance } from '../instances.js';
import type { ComponentNameSection, ComponentNameSubsection } from '../name-section.js';
import type { Sort } from '../externs.js';
import {
  arbAlias,
  arbComponentValType,
  arbCoreExportSort,
  arbCoreTypeDef,
  arbExternDesc,
  arbExternName,
  arbName,
  arbSort,
  arbTypeDef,
  arbU32,
} from './arbitraries-types.js';

/** A canonical option of any kind. */
export const arbCanonOpt: fc.Arbitrary<CanonOpt> = fc.oneof(
  fc.constantFrom('utf8' as const, 'utf16' as const, 'latin1+utf16' as const).map((encoding): CanonOpt => ({ kind: 'string-encoding', encoding })),
  fc.tuple(fc.constantFrom('memory' as const, 'realloc' as const, 'post-return' as const, 'callback' as const, 'core-type' as const), arbU32).map(([kind, index]): CanonOpt => ({ kind, index })),
  fc.constantFrom<CanonOpt>({ kind: 'async' }, { kind: 'gc' }),
);

const arbOpts: fc.Arbitrary<CanonOpt[]> = fc.array(arbCanonOpt, { maxLength: 4 });

/** A canonical definition of any kind (the current grammar only: no removed opcodes). */
export const arbCanon: fc.Arbitrary<CanonicalFunction> = fc.oneof(
  fc.tuple(arbU32, arbOpts, arbU32).map(([func, options, type]): CanonicalFunction => ({ kind: 'lift', func, options, type })),
  fc.tuple(arbU32, arbOpts).map(([func, options]): CanonicalFunction => ({ kind: 'lower', func, options })),
  fc
    .constantFrom<NullaryCanonKind>(
      'task.cancel',
      'backpressure.inc',
      'backpressure.dec',
      'subtask.drop',
      'error-context.drop',
      'waitable-set.new',
      'waitable-set.drop',
      'waitable.join',
      'thread.index',
      'thread.resume-later',
      'thread.available-parallelism',
    )
    .map((kind): CanonicalFunction => ({ kind })),
  fc
    .tuple(
      fc.constantFrom<TypedCanonKind>('resource.new', 'resource.drop', 'resource.rep', 'stream.new', 'stream.drop-readable', 'stream.drop-writable', 'future.new', 'future.drop-readable', 'future.drop-writable'),
      arbU32,
    )
    .map(([kind, type]): CanonicalFunction => ({ kind, type })),
  fc
    .tuple(fc.constantFrom<TypedOptsCanonKind>('stream.read', 'stream.write', 'future.read', 'future.write'), arbU32, arbOpts)
    .map(([kind, type, options]): CanonicalFunction => ({ kind, type, options })),
  fc
    .tuple(fc.constantFrom<TypedAsyncCanonKind>('stream.cancel-read', 'stream.cancel-write', 'future.cancel-read', 'future.cancel-write'), arbU32, fc.boolean())
    .map(([kind, type, async]): CanonicalFunction => ({ kind, type, async })),
  fc.boolean().map((async): CanonicalFunction => ({ kind: 'subtask.cancel', async })),
  fc
    .tuple(fc.option(arbComponentValType, { nil: undefined }), arbOpts)
    .map(([result, options]): CanonicalFunction => (result === undefined ? { kind: 'task.return', options } : { kind: 'task.return', result, options })),
  fc
    .tuple(fc.constantFrom('context.get' as const, 'context.set' as const), arbValType, arbU32)
    .map(([kind, type, index]): CanonicalFunction => ({ kind, type, index })),
  fc
    .tuple(
      fc.constantFrom<CancelCanonKind>('thread.yield', 'thread.suspend', 'thread.suspend-then-resume', 'thread.yield-then-resume', 'thread.suspend-then-promote', 'thread.yield-then-promote'),
      fc.boolean(),
    )
    .map(([kind, cancellable]): CanonicalFunction => ({ kind, cancellable })),
  fc
    .tuple(fc.constantFrom('waitable-set.wait' as const, 'waitable-set.poll' as const), fc.boolean(), arbU32)
    .map(([kind, cancellable, memory]): CanonicalFunction => ({ kind, cancellable, memory })),
  fc.tuple(fc.constantFrom('error-context.new' as const, 'error-context.debug-message' as const), arbOpts).map(([kind, options]): CanonicalFunction => ({ kind, options })),
  fc
    .tuple(fc.constantFrom('thread.new-indirect' as const, 'thread.spawn-indirect' as const), arbU32, arbU32)
    .map(([kind, type, table]): CanonicalFunction => ({ kind, type, table })),
  arbU32.map((type): CanonicalFunction => ({ kind: 'thread.spawn-ref', type })),
);

/** A core instance definition. */
export const arbCoreInstance: fc.Arbitrary<CoreInstance> = fc.oneof(
  fc
    .tuple(arbU32, fc.array(fc.record({ name: arbName, instance: arbU32 }), { maxLength: 3 }))
    .map(([module, args]): CoreInstance => ({ kind: 'instantiate', module, args })),
  fc.array(fc.record({ name: arbName, sort: arbCoreExportSort, index: arbU32 }), { maxLength: 3 }).map((exports): CoreInstance => ({ kind: 'exports', exports })),
);

/** A component instance definition. */
export const arbInstance: fc.Arbitrary<Instance> = fc.oneof(
  fc
    .tuple(arbU32, fc.array(fc.record({ name: arbName, sort: arbSort, index: arbU32 }), { maxLength: 3 }))
    .map(([component, args]): Instance => ({ kind: 'instantiate', component, args })),
  fc.array(fc.record({ name: arbExternName, sort: arbSort, index: arbU32 }), { maxLength: 3 }).map((exports): Instance => ({ kind: 'exports', exports })),
);

const arbNameSort: fc.Arbitrary<Sort> = fc.constantFrom<Sort>(
  'core func',
  'core table',
  'core memory',
  'core global',
  'core tag',
  'core type',
  'core module',
  'core instance',
  'func',
  'value',
  'type',
  'component',
  'instance',
);

/** A `component-name` subsection (unknown ones use ids other than 0 and 1, which would decode as typed). */
export const arbComponentNameSubsection: fc.Arbitrary<ComponentNameSubsection> = fc.oneof(
  arbName.map((name): ComponentNameSubsection => ({ kind: 'component', name })),
  fc
    .tuple(arbNameSort, fc.array(fc.record({ index: arbU32, name: arbName }), { maxLength: 4 }))
    .map(([sort, names]): ComponentNameSubsection => ({ kind: 'sort', sort, names })),
  fc.tuple(fc.integer({ min: 2, max: 255 }), fc.uint8Array({ maxLength: 8 })).map(([id, data]): ComponentNameSubsection => ({ kind: 'unknown', id, data })),
);

/** The contents of a `component-name` section. */
export const arbComponentNameSection: fc.Arbitrary<ComponentNameSection> = fc.record({ subsections: fc.array(arbComponentNameSubsection, { maxLength: 4 }) });

/** A custom section name that the decoder keeps raw (not `component-name`, not `component-type*`). */
const arbRawCustomName: fc.Arbitrary<string> = arbName.filter((n) => n !== 'component-name' && !n.startsWith('component-type'));

const arbImport: fc.Arbitrary<ComponentImport> = fc.record({ name: arbExternName, desc: arbExternDesc });

const arbExport: fc.Arbitrary<ComponentExport> = fc
  .tuple(arbExternName, arbSort, arbU32, fc.option(arbExternDesc, { nil: undefined }))
  .map(([name, sort, index, desc]): ComponentExport => (desc === undefined ? { name, sort, index } : { name, sort, index, desc }));

const arbValue: fc.Arbitrary<ComponentValue> = fc.record({ type: arbComponentValType, bytes: fc.uint8Array({ maxLength: 8 }) });

/** A section that nests no component. */
export const arbLeafComponentSection: fc.Arbitrary<ComponentSection> = fc.oneof(
  fc.tuple(arbRawCustomName, fc.uint8Array({ maxLength: 16 })).map(([name, data]): ComponentSection => ({ kind: 'custom', name, data })),
  arbComponentNameSection.map((names): ComponentSection => ({ kind: 'component-name', names })),
  arbModule.map((module): ComponentSection => ({ kind: 'core-module', module })),
  fc.array(arbCoreInstance, { maxLength: 3 }).map((instances): ComponentSection => ({ kind: 'core-instance', instances })),
  fc.array(arbCoreTypeDef, { maxLength: 3 }).map((types): ComponentSection => ({ kind: 'core-type', types })),
  fc.array(arbInstance, { maxLength: 3 }).map((instances): ComponentSection => ({ kind: 'instance', instances })),
  fc.array(arbAlias, { maxLength: 3 }).map((aliases): ComponentSection => ({ kind: 'alias', aliases })),
  fc.array(arbTypeDef, { maxLength: 3 }).map((types): ComponentSection => ({ kind: 'type', types })),
  fc.array(arbCanon, { maxLength: 5 }).map((functions): ComponentSection => ({ kind: 'canon', functions })),
  fc
    .tuple(arbU32, fc.array(arbU32, { maxLength: 3 }), arbU32)
    .map(([func, args, results]): ComponentSection => ({ kind: 'start', func, args, results })),
  fc.array(arbImport, { maxLength: 3 }).map((imports): ComponentSection => ({ kind: 'import', imports })),
  fc.array(arbExport, { maxLength: 3 }).map((exports): ComponentSection => ({ kind: 'export', exports })),
  fc.array(arbValue, { maxLength: 3 }).map((values): ComponentSection => ({ kind: 'value', values })),
);

/** A component whose nested components (sections 4 and `component-type*` custom sections) go at most `depth` deep. */
export function arbComponentOfDepth(depth: number): fc.Arbitrary<Component> {
  let section: fc.Arbitrary<ComponentSection> = arbLeafComponentSection;
  if (depth > 0) {
    const inner = arbComponentOfDepth(depth - 1);
    section = fc.oneof(
      { arbitrary: arbLeafComponentSection, weight: 8 },
      { arbitrary: inner.map((component): ComponentSection => ({ kind: 'nested-component', component })), weight: 1 },
      {
        arbitrary: fc
          .tuple(fc.constantFrom('component-type', 'component-type:wit-bindgen:0.41.0:a:b:w:encoded world'), inner)
          .map(([name, component]): ComponentSection => ({ kind: 'component-type-custom', name, component })),
        weight: 1,
      },
    );
  }
  return fc.array(section, { maxLength: 6 }).map((sections): Component => ({ kind: 'component', sections }));
}

/** A whole component (nesting at most two levels). */
export const arbComponent: fc.Arbitrary<Component> = arbComponentOfDepth(2);
