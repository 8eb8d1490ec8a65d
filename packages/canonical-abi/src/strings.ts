/**
 * Strings in the Canonical ABI: lifting (`load_string*`) and lowering
 * (`store_string*` and every transcoder between the three string encodings
 * `utf8`, `utf16` and `latin1+utf16`), ported function by function from
 * `definitions.py` (`CanonicalABI.md#loading`, `CanonicalABI.md#storing`).
 *
 * The implementation lives in `./strings/`; this module is its public face.
 *
 * @module
 */

export { MAX_STRING_BYTE_LENGTH, REALLOC_I32_MAX, UTF16_TAG } from './strings/types.js';
export type { CanonString, LiftedString, SimpleEncoding } from './strings/types.js';
export { loadString, loadStringFromRange, loadStringFromRangeTagged, loadStringTagged } from './strings/load.js';
export {
  storeLatin1ToUtf8,
  storeProbablyUtf16ToLatin1OrUtf16,
  storeString,
  storeStringCopy,
  storeStringIntoRange,
  storeStringToLatin1OrUtf16,
  storeStringToUtf8,
  storeUtf16ToUtf8,
  storeUtf8ToUtf16,
} from './strings/store.js';
export { utf8ByteLength } from './strings/codec.js';
