import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { decode } from './api.js';
import { modules, walk } from './walk.js';

describe('walk', () => {
  it('should visit nested components and modules depth-first in binary order', async () => {
    const bytes = await parse(`(component
      (core module $a)
      (component $c1 (core module $b) (component $c2 (core module $c)))
      (core module $d)
    )`);
    const seen: string[] = [];
    walk(decode(bytes), {
      component: (_c, path) => void seen.push(`component [${path.join(',')}]`),
      module: (_m, path) => void seen.push(`module [${path.join(',')}]`),
    });
    expect(seen).toEqual([
      'component []',
      'module [0]',
      'component [1]',
      'module [1,0]',
      'component [1,1]',
      'module [1,1,0]',
      'module [2]',
    ]);
    expect(modules(decode(bytes)).map((m) => m.path)).toEqual([[0], [1, 0], [1, 1, 0], [2]]);
  });

  it('should skip the children of a component when the visitor returns false', async () => {
    const bytes = await parse(`(component (component (core module)) (core module))`);
    const seen: string[] = [];
    walk(decode(bytes), {
      component: (_c, path) => (path.length > 0 ? false : undefined),
      module: (_m, path) => void seen.push(path.join(',')),
    });
    expect(seen).toEqual(['1']);
  });

  it('should visit a standalone module as the root', async () => {
    const bytes = await parse(`(module (func))`);
    const seen: number[] = [];
    walk(decode(bytes), { module: (_m, path) => void seen.push(path.length) });
    expect(seen).toEqual([0]);
  });
});
