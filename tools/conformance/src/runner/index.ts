/**
 * The `.wast` runner of the conformance tool: executes the component-model
 * suite's directives through `@wasm-components/runtime` and judges the
 * outcomes against `expectations/wast.json`.
 *
 * @module
 */
export { type Engine, type ErrorClass, classifyCommon, describeError, messageOf } from './engine.js';
export {
  type DirectiveOutcome,
  FAILURE_CAUSES,
  type FailureCause,
  type RejectionNote,
  type RunOptions,
  lookupExport,
  normalizeReason,
  runScript,
  trapText,
} from './execute.js';
export {
  type DirectiveGroup,
  ExpectationIndex,
  type FileExpectation,
  type FileVerdict,
  NO_EXPECTATIONS,
  type RegenerateOptions,
  type WastExpectations,
  deriveReason,
  formatExpectations,
  judgeFile,
  loadExpectations,
  parseExpectations,
  regenerate,
  staleFiles,
  writeExpectations,
} from './expectations.js';
export { EXPECTATIONS_PATH, FOLDERS, REQUIRED_FOLDERS, SUITE_DIR, WHOLE_FILE_FOLDERS, readSuite, suiteFiles } from './suite.js';
export { updateExpectations, updateRequested } from './update-expectations.js';
export { ValueConversionError, camelCase, matchValue, sameLabel, showJs, showWast, toJs } from './values.js';
