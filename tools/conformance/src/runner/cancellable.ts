/**
 * Text with the `cancellable` immediate, which the suite at spec commit
 * 6d28164 uses (`async/cancellable.wast`) and the pinned wasm-tools (0.254)
 * no longer reads ("the `cancellable` option is no longer supported after
 * WebAssembly/component-model#716").
 *
 * The binary format at 6d28164 still has it: `waitable-set.wait`,
 * `waitable-set.poll`, `thread.yield` and the `thread.suspend*` /
 * `thread.*-then-*` built-ins carry a `cancel?` byte, which
 * `@wasm-components/binary` decodes and encodes. So the text is parsed
 * without the word, and the flag is put back into the binary: the canon
 * definitions of those kinds, in document order (wasm-tools emits sections,
 * inline `(canon ...)` forms and nested components in the order they are
 * written), get the `cancellable` each had in the text.
 *
 * @module
 */
import { type CanonicalFunction, type Component, decode, encode } from '@wasm-components/binary';

/** Canon built-ins with a `cancel?` immediate (Binary.md at 6d28164). */
const CANCELLABLE_KINDS: ReadonlySet<string> = new Set([
  'waitable-set.wait',
  'waitable-set.poll',
  'thread.yield',
  'thread.suspend',
  'thread.suspend-then-resume',
  'thread.yield-then-resume',
  'thread.suspend-then-promote',
  'thread.yield-then-promote',
]);

/** Comments and strings blanked out (same length), so a search of the text sees code only. */
function codeOnly(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ';' && text[i + 1] === ';') {
      const end = text.indexOf('\n', i);
      const j = end < 0 ? text.length : end;
      out += ' '.repeat(j - i);
      i = j;
    } else if (c === '(' && text[i + 1] === ';') {
      let depth = 0;
      let j = i;
      while (j < text.length) {
        if (text[j] === '(' && text[j + 1] === ';') {
          depth++;
          j += 2;
        } else if (text[j] === ';' && text[j + 1] === ')') {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      out += text.slice(i, j).replace(/[^\n]/g, ' ');
      i = j;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += `"${' '.repeat(Math.max(0, j - i - 1))}"`;
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The text without `cancellable` immediates, and each cancellable-kind canon's flag in document order. */
export function stripCancellable(text: string): { readonly text: string; readonly flags: readonly boolean[] } {
  const code = codeOnly(text);
  const flags: boolean[] = [];
  let out = text;
  const re = /\(canon\s+([a-z.-]+)((?:\s+cancellable)?)/g;
  for (let m = re.exec(code); m !== null; m = re.exec(code)) {
    if (!CANCELLABLE_KINDS.has(m[1]!)) continue;
    const has = m[2] !== '';
    flags.push(has);
    if (has) {
      const at = m.index + m[0].length - m[2]!.length;
      out = out.slice(0, at) + ' '.repeat(m[2]!.length) + out.slice(at + m[2]!.length);
    }
  }
  return { text: out, flags };
}

/** True when `text` uses the `cancellable` immediate somewhere. */
export function usesCancellable(text: string): boolean {
  return stripCancellable(text).flags.includes(true);
}

/** Puts the flags back, in document order; throws when the counts disagree. */
export function restoreCancellable(bytes: Uint8Array, flags: readonly boolean[]): Uint8Array {
  let next = 0;
  const mark = (c: Component): Component => ({
    ...c,
    sections: c.sections.map((s) => {
      if (s.kind === 'nested-component') return { ...s, component: mark(s.component) };
      if (s.kind !== 'canon') return s;
      return {
        ...s,
        functions: s.functions.map((f): CanonicalFunction => {
          if (!CANCELLABLE_KINDS.has(f.kind) || !('cancellable' in f)) return f;
          const flag = flags[next++];
          if (flag === undefined) throw new Error('more cancellable-kind canon definitions in the binary than in the text');
          return { ...f, cancellable: flag } as CanonicalFunction;
        }),
      };
    }),
  });
  const root = decode(bytes);
  if (root.kind !== 'component') return bytes;
  const out = encode(mark(root));
  if (next !== flags.length) throw new Error(`${flags.length} cancellable-kind canon definitions in the text, ${next} in the binary`);
  return out;
}

/**
 * Parses component text with `parse` (wasm-tools), accepting the
 * `cancellable` immediate of spec 6d28164 that the parser dropped.
 */
export async function parseWithCancellable(text: string, parse: (text: string) => Promise<Uint8Array> | Uint8Array): Promise<Uint8Array> {
  const { text: plain, flags } = stripCancellable(text);
  if (!flags.includes(true)) return parse(text);
  return restoreCancellable(await parse(plain), flags);
}
