/**
 * S-expressions: the tree the token stream forms, with source spans, so a
 * directive can hand the *exact* text of a `(component ...)` form to a WAT
 * parser and still know where it came from.
 *
 * @module
 */
import { WastSyntaxError, positionOf } from './errors.js';
import { type IdToken, type KeywordToken, type NumberToken, type ReservedToken, type StringToken, tokenize } from './tokenizer.js';

/** A leaf of the tree: any token but a parenthesis. */
export type SAtom = KeywordToken | IdToken | NumberToken | StringToken | ReservedToken;

/** A parenthesised list, `(` ... `)`, or an annotation `(@name ...)`. */
export interface SList {
  readonly kind: 'list';
  /** Offset of the `(`. */
  readonly start: number;
  /** Offset just past the `)`. */
  readonly end: number;
  /** For `(@name ...)`, the annotation name. */
  readonly annotation?: string;
  readonly items: readonly SExpr[];
}

/** A node of the tree. */
export type SExpr = SList | SAtom;

interface MutableList {
  kind: 'list';
  start: number;
  end: number;
  annotation?: string;
  items: SExpr[];
}

/**
 * Parse a whole script into its top-level s-expressions.
 *
 * @throws {@link WastSyntaxError} on unbalanced parentheses or a lexical error
 */
export function parseSExprs(src: string): SExpr[] {
  const top: SExpr[] = [];
  const stack: MutableList[] = [];
  for (const t of tokenize(src)) {
    if (t.kind === 'lparen') {
      const l: MutableList = { kind: 'list', start: t.start, end: -1, items: [] };
      if (t.annotation !== undefined) l.annotation = t.annotation;
      stack.push(l);
    } else if (t.kind === 'rparen') {
      const l = stack.pop();
      if (l === undefined) throw new WastSyntaxError('unbalanced `)`', positionOf(src, t.start));
      l.end = t.end;
      (stack.length > 0 ? stack[stack.length - 1]!.items : top).push(l);
    } else {
      (stack.length > 0 ? stack[stack.length - 1]!.items : top).push(t);
    }
  }
  if (stack.length > 0) throw new WastSyntaxError('unclosed `(`', positionOf(src, stack[stack.length - 1]!.start));
  return top;
}

/** True if `e` is a list whose first item is the keyword `head` (e.g. `(component ...)`). */
export function isListOf(e: SExpr | undefined, head: string): e is SList {
  return e !== undefined && e.kind === 'list' && e.annotation === undefined && e.items[0]?.kind === 'keyword' && e.items[0].text === head;
}

/** The head keyword of a list, or undefined. */
export function headOf(e: SExpr | undefined): string | undefined {
  if (e === undefined || e.kind !== 'list' || e.annotation !== undefined) return undefined;
  const h = e.items[0];
  return h?.kind === 'keyword' ? h.text : undefined;
}
