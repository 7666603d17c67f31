/**
 * `@periscope/cli` as a library: the command's entry point, and the span-file reader that tests
 * of span writers use to read back what they wrote.
 */
export { main } from './main.js';
export { spansOf } from './span-files.js';
export type { OtlpRequest, SpanRecord } from './span-files.js';
export type { LogRecord } from './log-files.js';
