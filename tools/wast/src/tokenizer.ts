/**
 * The lexical layer of the WebAssembly text format, as `.wast` scripts use it.
 *
 * Follows the token grammar of the core spec's text format
 * (`syntax/text/lexical`: tokens, white space, comments, strings) plus the
 * annotations proposal (`(@name ...)`): parentheses, keywords, ids, numbers,
 * reserved words and strings. Strings are decoded to the *bytes* they denote,
 * because WAT strings are byte sequences (`"\00asm"` in a `component binary`
 * form is not text).
 *
 * @module
 */
import { WastSyntaxError, positionOf } from './errors.js';

/** Kinds of {@link Token}. */
export const TokenKind = {
  LParen: 'lparen',
  RParen: 'rparen',
  Keyword: 'keyword',
  Id: 'id',
  Number: 'number',
  String: 'string',
  Reserved: 'reserved',
} as const;
/** One of the values of {@link TokenKind}. */
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

interface TokenBase {
  /** Offset of the first character in the script. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
  /** The exact source text of the token. */
  readonly text: string;
}

/** `(`, or `(@name` which opens an annotation. */
export interface LParenToken extends TokenBase {
  readonly kind: 'lparen';
  /** For `(@name`, the annotation's name (`name`); absent for a plain `(`. */
  readonly annotation?: string;
}
/** `)`. */
export interface RParenToken extends TokenBase {
  readonly kind: 'rparen';
}
/** A keyword (starts with a lowercase letter): `component`, `i32.const`, `offset=4`. */
export interface KeywordToken extends TokenBase {
  readonly kind: 'keyword';
}
/** An identifier `$x` or `$"x y"`; `name` is what follows the `$`, unquoted. */
export interface IdToken extends TokenBase {
  readonly kind: 'id';
  readonly name: string;
}
/** A number literal (integer or float, any base, with `_` separators, `inf`, `nan:...`). */
export interface NumberToken extends TokenBase {
  readonly kind: 'number';
}
/** A string literal: `bytes` are the denoted bytes, `value` their UTF-8 reading when valid. */
export interface StringToken extends TokenBase {
  readonly kind: 'string';
  readonly bytes: Uint8Array;
  /** The bytes as text if they are valid UTF-8, else undefined. */
  readonly value: string | undefined;
}
/** Any other run of id characters; the spec reserves these and parsers reject them in most places. */
export interface ReservedToken extends TokenBase {
  readonly kind: 'reserved';
}

/** A token of the text format. */
export type Token = LParenToken | RParenToken | KeywordToken | IdToken | NumberToken | StringToken | ReservedToken;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** `idchar` of the text format: the characters that may form keywords, ids and numbers. */
function isIdChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || // 0-9
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    '!#$%&\'*+-./:<=>?@\\^_`|~'.includes(String.fromCharCode(c))
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

const NUMBER_RE = /^[+-]?(?:\d|inf$|nan$|nan:)/;

/**
 * Decode the body of a string literal starting at `pos` (just after the
 * opening quote). Returns the bytes and the offset just past the closing quote.
 */
function readString(src: string, pos: number): { bytes: Uint8Array; end: number } {
  const out: number[] = [];
  const fail = (msg: string, at: number): never => {
    throw new WastSyntaxError(msg, positionOf(src, at));
  };
  let i = pos;
  for (;;) {
    if (i >= src.length) fail('unterminated string', pos - 1);
    const c = src.charCodeAt(i);
    if (c === 0x22) return { bytes: Uint8Array.from(out), end: i + 1 };
    if (c === 0x5c) {
      const e = src.charCodeAt(i + 1);
      switch (e) {
        case 0x74: out.push(0x09); i += 2; continue; // \t
        case 0x6e: out.push(0x0a); i += 2; continue; // \n
        case 0x72: out.push(0x0d); i += 2; continue; // \r
        case 0x22: out.push(0x22); i += 2; continue; // \"
        case 0x27: out.push(0x27); i += 2; continue; // \'
        case 0x5c: out.push(0x5c); i += 2; continue; // \\
        case 0x75: {
          // \u{hex+}
          if (src.charCodeAt(i + 2) !== 0x7b) fail('expected { after \\u', i);
          let j = i + 3;
          let v = 0;
          let digits = 0;
          while (j < src.length && src.charCodeAt(j) !== 0x7d) {
            const h = hexValue(src.charCodeAt(j));
            if (h < 0 && src[j] !== '_') fail('invalid hex digit in \\u{...}', j);
            if (h >= 0) {
              v = v * 16 + h;
              digits++;
            }
            if (v > 0x10ffff) fail('\\u{...} escape out of range', i);
            j++;
          }
          if (j >= src.length || digits === 0) fail('malformed \\u{...} escape', i);
          if (v >= 0xd800 && v < 0xe000) fail('\\u{...} escape is a surrogate', i);
          out.push(...utf8Encoder.encode(String.fromCodePoint(v)));
          i = j + 1;
          continue;
        }
        default: {
          const h1 = hexValue(e);
          const h2 = hexValue(src.charCodeAt(i + 2));
          if (h1 < 0 || h2 < 0) fail('invalid string escape', i);
          out.push(h1 * 16 + h2);
          i += 3;
          continue;
        }
      }
    }
    if (c < 0x20 || c === 0x7f) fail('control character in string', i);
    // A literal character stands for its UTF-8 bytes; take a whole code point.
    const cp = src.codePointAt(i) ?? c;
    const ch = String.fromCodePoint(cp);
    out.push(...utf8Encoder.encode(ch));
    i += ch.length;
  }
}

/** The UTF-8 reading of `bytes`, or undefined when they are not valid UTF-8. */
export function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Split a script into tokens, dropping white space, line comments (`;;`) and
 * nested block comments (`(; ... ;)`).
 *
 * @throws {@link WastSyntaxError} on an unterminated string or comment, a bad escape, or a stray character
 */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // ;; line comment
    if (c === 0x3b && src.charCodeAt(i + 1) === 0x3b) {
      while (i < n && src.charCodeAt(i) !== 0x0a) i++;
      continue;
    }
    if (c === 0x28) {
      // (; block comment ;), nested
      if (src.charCodeAt(i + 1) === 0x3b) {
        const open = i;
        let depth = 1;
        i += 2;
        while (depth > 0) {
          if (i >= n) throw new WastSyntaxError('unterminated block comment', positionOf(src, open));
          if (src.charCodeAt(i) === 0x28 && src.charCodeAt(i + 1) === 0x3b) {
            depth++;
            i += 2;
          } else if (src.charCodeAt(i) === 0x3b && src.charCodeAt(i + 1) === 0x29) {
            depth--;
            i += 2;
          } else i++;
        }
        continue;
      }
      // (@name annotation
      if (src.charCodeAt(i + 1) === 0x40) {
        let j = i + 2;
        let annotation: string;
        if (src.charCodeAt(j) === 0x22) {
          const s = readString(src, j + 1);
          annotation = utf8OrUndefined(s.bytes) ?? '';
          j = s.end;
        } else {
          while (j < n && isIdChar(src.charCodeAt(j))) j++;
          annotation = src.slice(i + 2, j);
        }
        if (annotation === '') throw new WastSyntaxError('empty annotation name', positionOf(src, i));
        tokens.push({ kind: 'lparen', start: i, end: j, text: src.slice(i, j), annotation });
        i = j;
        continue;
      }
      tokens.push({ kind: 'lparen', start: i, end: i + 1, text: '(' });
      i++;
      continue;
    }
    if (c === 0x29) {
      tokens.push({ kind: 'rparen', start: i, end: i + 1, text: ')' });
      i++;
      continue;
    }
    if (c === 0x22) {
      const s = readString(src, i + 1);
      tokens.push({ kind: 'string', start: i, end: s.end, text: src.slice(i, s.end), bytes: s.bytes, value: utf8OrUndefined(s.bytes) });
      i = s.end;
      continue;
    }
    if (isIdChar(c)) {
      // $"quoted id"
      if (c === 0x24 && src.charCodeAt(i + 1) === 0x22) {
        const s = readString(src, i + 2);
        const name = utf8OrUndefined(s.bytes);
        if (name === undefined || name === '') throw new WastSyntaxError('malformed quoted identifier', positionOf(src, i));
        tokens.push({ kind: 'id', start: i, end: s.end, text: src.slice(i, s.end), name });
        i = s.end;
        continue;
      }
      let j = i;
      while (j < n && isIdChar(src.charCodeAt(j))) j++;
      // A token must be followed by white space, a paren, a comment or the end.
      const text = src.slice(i, j);
      if (c === 0x24 && text.length > 1) tokens.push({ kind: 'id', start: i, end: j, text, name: text.slice(1) });
      else if (c >= 0x61 && c <= 0x7a) tokens.push({ kind: 'keyword', start: i, end: j, text });
      else if (NUMBER_RE.test(text)) tokens.push({ kind: 'number', start: i, end: j, text });
      else tokens.push({ kind: 'reserved', start: i, end: j, text });
      i = j;
      if (i < n) {
        const d = src.charCodeAt(i);
        if (!isSpace(d) && d !== 0x28 && d !== 0x29 && d !== 0x3b && d !== 0x22) {
          throw new WastSyntaxError(`unexpected character ${JSON.stringify(src[i])}`, positionOf(src, i));
        }
      }
      continue;
    }
    throw new WastSyntaxError(`unexpected character ${JSON.stringify(String.fromCodePoint(src.codePointAt(i) ?? c))}`, positionOf(src, i));
  }
  return tokens;
}
