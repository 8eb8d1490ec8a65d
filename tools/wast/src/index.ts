/**
 * `@wasm-components/wast`: a parser for the `.wast` scripts of the
 * component-model test suite (WebAssembly/component-model `test/`), used by
 * the conformance runner and, later, by the runtime's spec tests.
 *
 * @module
 */
export { WAST_SYNTAX_ERROR_NAME, WastSyntaxError, isWastSyntaxError, positionOf, type Position } from './errors.js';
export {
  TokenKind,
  tokenize,
  utf8OrUndefined,
  type Token,
  type LParenToken,
  type RParenToken,
  type KeywordToken,
  type IdToken,
  type NumberToken,
  type StringToken,
  type ReservedToken,
} from './tokenizer.js';
export { parseSExprs, isListOf, headOf, type SExpr, type SAtom, type SList } from './sexpr.js';
export {
  parseValue,
  parseValues,
  parseIntLiteral,
  parseFloatLiteral,
  type WastValue,
  type IntType,
  type IntValue,
  type FloatValue,
  type BoolValue,
  type CharValue,
  type StringValue,
  type ListValue,
  type TupleValue,
  type RecordValue,
  type VariantValue,
  type EnumValue,
  type FlagsValue,
  type OptionValue,
  type ResultValue,
  type RefValue,
  type EitherValue,
} from './values.js';
export {
  parseWast,
  modulesOf,
  moduleBytes,
  type WatParser,
  type ModuleOccurrence,
  type WastScript,
  type Directive,
  type Span,
  type WastModule,
  type TextModule,
  type BinaryModule,
  type QuoteModule,
  type InstanceDirective,
  type RegisterDirective,
  type InvokeAction,
  type GetAction,
  type Action,
  type AssertReturn,
  type AssertTrap,
  type AssertExhaustion,
  type AssertException,
  type AssertSuspension,
  type AssertModule,
  type UnknownDirective,
} from './directives.js';
