/**
 * The few WHATWG Streams types the host adapters use, declared locally so
 * this browser-neutral package needs neither DOM nor Node typings, and the
 * engine's own `ReadableStream`/`WritableStream` constructors (Node >= 18,
 * browsers, Deno, Bun).
 *
 * @module
 */

/** `ReadableStreamDefaultController` (the parts used). */
export interface ReadableController<T> {
  readonly desiredSize: number | null;
  enqueue(chunk: T): void;
  close(): void;
  error(e?: unknown): void;
}

/** `UnderlyingDefaultSource` (the parts used). */
export interface ReadableSource<T> {
  start?(controller: ReadableController<T>): void;
  pull?(controller: ReadableController<T>): Promise<void> | void;
  cancel?(reason?: unknown): Promise<void> | void;
}

/** `ReadableStreamDefaultReader` (the parts used). */
export interface ReadableReader<T> {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: T }>;
  releaseLock(): void;
  cancel(reason?: unknown): Promise<void>;
}

/** A WHATWG `ReadableStream` (the parts used). */
export interface WebReadableStream<T> {
  readonly locked: boolean;
  getReader(): ReadableReader<T>;
  cancel(reason?: unknown): Promise<void>;
}

/** `ReadableStream` constructor type. */
export type ReadableStreamCtor = new <T>(source: ReadableSource<T>, strategy?: { highWaterMark?: number }) => WebReadableStream<T>;

/** `WritableStreamDefaultController` (the parts used). */
export interface WritableController {
  error(e?: unknown): void;
}

/** `UnderlyingSink` (the parts used). */
export interface WritableSink<T> {
  start?(controller: WritableController): void;
  write?(chunk: T, controller: WritableController): Promise<void> | void;
  close?(): Promise<void> | void;
  abort?(reason?: unknown): Promise<void> | void;
}

/** A WHATWG `WritableStream` (the parts used). */
export interface WebWritableStream<T> {
  readonly locked: boolean;
  getWriter(): { write(chunk: T): Promise<void>; close(): Promise<void>; abort(reason?: unknown): Promise<void>; releaseLock(): void; readonly ready: Promise<void> };
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}

/** `WritableStream` constructor type. */
export type WritableStreamCtor = new <T>(sink: WritableSink<T>, strategy?: { highWaterMark?: number }) => WebWritableStream<T>;

function missing(name: string): never {
  throw new TypeError(`${name} is not available in this JavaScript engine (WHATWG Streams are needed for stream<T> values)`);
}

const g = globalThis as { ReadableStream?: ReadableStreamCtor; WritableStream?: WritableStreamCtor };

/** The engine's `ReadableStream` (or a stand-in that throws when used). */
export const ReadableStreamBase: ReadableStreamCtor =
  g.ReadableStream ??
  (class {
    constructor() {
      missing('ReadableStream');
    }
  } as unknown as ReadableStreamCtor);

/** The engine's `WritableStream` (or a stand-in that throws when used). */
export const WritableStreamBase: WritableStreamCtor =
  g.WritableStream ??
  (class {
    constructor() {
      missing('WritableStream');
    }
  } as unknown as WritableStreamCtor);

/** True when `v` looks like a WHATWG `ReadableStream`. */
export function isWebReadableStream(v: unknown): v is WebReadableStream<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { getReader?: unknown }).getReader === 'function' && 'locked' in v;
}
