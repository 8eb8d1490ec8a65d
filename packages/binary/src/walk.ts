/**
 * Visit every component and core module of a decoded binary, nested ones
 * included, depth-first in binary order.
 *
 * Components nest (`component` sections) and carry core modules
 * (`core module` sections); most tools want "every module" or "every import
 * of every component" without writing that recursion themselves.
 *
 * @module
 */
import type { Component, ComponentSection } from './component/ast.js';
import type { Module } from './core/ast.js';

/**
 * Where a node sits: the indices of the sections followed from the root.
 * `[]` is the root; `[3, 0]` is what section 0 of the binary in section 3 of
 * the root holds.
 */
export type WalkPath = readonly number[];

/**
 * Callbacks of {@link walk}. Return `false` from `component` to skip what is
 * nested inside that component.
 */
export interface Visitor {
  /** Called for each component, the root included, before its children. */
  component?(component: Component, path: WalkPath): void | false;
  /** Called for each core module. */
  module?(module: Module, path: WalkPath): void;
  /** Called for each section of each component, before descending into it. */
  componentSection?(section: ComponentSection, path: WalkPath): void;
}

/**
 * Walk `root` (a module or a component) depth-first, calling `visitor`.
 * Iterative, so hostile nesting depth cannot overflow the stack.
 */
export function walk(root: Module | Component, visitor: Visitor): void {
  const stack: [Module | Component, WalkPath][] = [[root, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (node.kind === 'module') {
      visitor.module?.(node, path);
      continue;
    }
    if (visitor.component?.(node, path) === false) continue;
    const children: [Module | Component, WalkPath][] = [];
    node.sections.forEach((s, i) => {
      const at = [...path, i];
      visitor.componentSection?.(s, at);
      if (s.kind === 'core-module') children.push([s.module, at]);
      else if (s.kind === 'nested-component') children.push([s.component, at]);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** Every core module in `root` with its path, in binary order. */
export function modules(root: Module | Component): { module: Module; path: WalkPath }[] {
  const out: { module: Module; path: WalkPath }[] = [];
  walk(root, { module: (module, path) => void out.push({ module, path }) });
  return out;
}
