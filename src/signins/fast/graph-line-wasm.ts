import { WASM_BASE64 } from './graph-line-wasm.generated.js';

/** The key table of the byte reader, in the layout both checks read. */
export interface KeyTable {
  slots: Int16Array;
  contexts: Int8Array;
  lengths: Int16Array;
  ids: Int8Array;
  next: Int16Array;
  wordStarts: Int16Array;
  words: Int32Array;
  /** The context of an object that is the value of each id. */
  childContexts: Uint8Array;
  valueCount: number;
  /** The way each value enters a line's signature: 0 not at all, 1 with its bytes, 2 with its first byte. */
  signatureModes: Uint8Array;
  /** The ids of the time and of the session id. */
  timeId: number;
  sessionId: number;
}

// The few WebAssembly types used here: the project's TypeScript libraries (ES2023, Node) do not
// declare the WebAssembly global, which Node provides.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  memory: WasmMemory;
  check(start: number, end: number, sign: number): number;
  scanLines(start: number, filled: number, atEnd: number): number;
  recordIntsPointer(): number;
  recordTimesPointer(): number;
  maxRecords(): number;
  inputStart(): number;
  limits(): number;
  setValues(count: number, time: number, session: number): void;
  signatureModesPointer(): number;
  lineFactsPointer(): number;
  keySlotsPointer(): number;
  keyContextsPointer(): number;
  keyLengthsPointer(): number;
  keyIdsPointer(): number;
  keyNextPointer(): number;
  keyWordStartsPointer(): number;
  keyWordsPointer(): number;
  childContextsPointer(): number;
  valueStartsPointer(): number;
  valueEndsPointer(): number;
  valueFlagsPointer(): number;
  setPartitions(count: number, capacity: number): void;
  resetSignatures(): void;
  signatureCountNow(): number;
  factTablePointer(): number;
  partitionAreaPointer(): number;
  partitionBuffersPointer(): number;
  countersPointer(): number;
  emit(partition: number, fact: number, hasSession: number, session: number, time: number, offset: number, range: number, line: number, record: number, length: number, sig: number): number;
  setFact(sig: number, fact: number, partition: number): void;
}

/** Bytes of an event record (see `EVENT_RECORD` in wasm/graph-line.ts and compact.ts). */
export const WASM_EVENT_RECORD = 40;
/** Bytes of an entry of the fact table: fact id plus one, partition, events, unused, first and last time. */
const FACT_BYTES = 32;

/** Bytes after the input that the check's 16-byte vector loads may read. */
const PADDING = 64;
const PAGE = 65536;

let compiled: object | null = null;

/**
 * One instance of the WebAssembly JSON check (wasm/graph-line.ts) with its input buffer. The input
 * buffer is a view of the instance's memory, so lines read into it from a file are checked where
 * they lie.
 */
export class WasmLineChecker {
  private readonly exports: Exports;
  private readonly valueCount: number;
  /** Lines in this buffer, a view of the instance's memory, take the check. */
  buffer: Buffer;
  starts: Int32Array;
  ends: Int32Array;
  flags: Int32Array;
  /** For the last FAST line: [2] its session hash, [3] its signature number. */
  facts: Int32Array;
  /** For the last FAST line: [0] its time in milliseconds. */
  time: Float64Array;
  /** Six numbers per line `scanLines` recorded: result bits, start, content end, line end, signature number, session hash. */
  records: Int32Array;
  /** The time of each FAST line `scanLines` recorded. */
  times: Float64Array;

  /** The writing scan's counters (see `counters` in wasm/graph-line.ts): eight i32, then three f64 from index 8. */
  counters: Int32Array;
  counterTimes: Float64Array;
  private partitions = 0;
  private capacity = 0;

  /** Throws where the runtime lacks WebAssembly SIMD or the table does not fit. */
  constructor(table: KeyTable) {
    compiled ??= new WebAssemblyApi.Module(Buffer.from(WASM_BASE64, 'base64'));
    this.exports = new WebAssemblyApi.Instance(compiled, {}).exports as unknown as Exports;
    const limits = this.exports.limits();
    if (table.valueCount > (limits & 0xff) || table.ids.length > ((limits >> 8) & 0xff) || table.words.length > limits >>> 16) {
      throw new Error('the key table does not fit the WebAssembly check');
    }
    this.valueCount = table.valueCount;
    this.exports.setValues(table.valueCount, table.timeId, table.sessionId);
    const memory = this.exports.memory.buffer;
    const put = (pointer: number, values: ArrayBufferView): void => {
      new Uint8Array(memory, pointer, values.byteLength).set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    };
    put(this.exports.keySlotsPointer(), table.slots);
    put(this.exports.keyContextsPointer(), table.contexts);
    put(this.exports.keyLengthsPointer(), table.lengths);
    put(this.exports.keyIdsPointer(), table.ids);
    put(this.exports.keyNextPointer(), table.next);
    put(this.exports.keyWordStartsPointer(), table.wordStarts);
    put(this.exports.keyWordsPointer(), table.words);
    put(this.exports.childContextsPointer(), table.childContexts);
    put(this.exports.signatureModesPointer(), table.signatureModes);
    this.buffer = Buffer.alloc(0);
    this.starts = this.ends = this.flags = this.facts = new Int32Array(0);
    this.time = this.times = new Float64Array(0);
    this.records = new Int32Array(0);
    this.counters = new Int32Array(0);
    this.counterTimes = new Float64Array(0);
    this.resize(0, 0);
  }

  /**
   * Starts the writing scan with `count` partitions of `capacity` bytes (a multiple of
   * WASM_EVENT_RECORD) and returns a new input buffer of `inputBytes`: the input area moves.
   */
  setPartitions(count: number, capacity: number, inputBytes: number): Buffer {
    this.partitions = count;
    this.capacity = capacity;
    this.buffer = Buffer.alloc(0);
    this.exports.setPartitions(0, 0);
    // Grow first: setPartitions writes the partitions' counts, which must lie in the memory.
    const needed = this.exports.inputStart() + 8 * 4 + count * 4 + count * capacity + 256;
    if (needed > this.exports.memory.buffer.byteLength) this.exports.memory.grow(Math.ceil((needed - this.exports.memory.buffer.byteLength) / PAGE));
    this.exports.setPartitions(count, capacity);
    return this.resize(inputBytes, 0);
  }

  /** Appends an event record; see `emit` in wasm/graph-line.ts. False when the partition's buffer is full. */
  emit(partition: number, fact: number, session: number | null, time: number, offset: number, range: number, line: number, record: number, length: number, sig: number): boolean {
    return this.exports.emit(partition, fact, session === null ? 0 : 1, session ?? 0, time, offset, range, line, record, length, sig) !== 0;
  }

  setFact(sig: number, fact: number, partition: number): void {
    this.exports.setFact(sig, fact, partition);
  }

  /** Returns the events counted for a signature number since its fact was set, and their first and last time. */
  factSums(sig: number): { events: number; from: number; to: number } {
    const bytes = this.exports.memory.buffer;
    const at = this.exports.factTablePointer() + sig * FACT_BYTES;
    const view = new DataView(bytes, at, FACT_BYTES);
    return { events: view.getInt32(8, true), from: view.getFloat64(16, true), to: view.getFloat64(24, true) };
  }

  signatureCount(): number {
    return this.exports.signatureCountNow();
  }

  resetSignatures(): void {
    this.exports.resetSignatures();
  }

  /** Returns the records in a partition's buffer and empties it. The bytes stay valid until the next call into the module. */
  takePartition(partition: number): Buffer {
    const bytes = this.exports.memory.buffer;
    const used = new Int32Array(bytes, this.exports.partitionAreaPointer(), this.partitions);
    const length = used[partition]!;
    used[partition] = 0;
    return Buffer.from(bytes, this.exports.partitionBuffersPointer() + partition * this.capacity, length);
  }

  /** Checks buffer[start, end), with its signature when `sign` is set. Returns the result of `check` in wasm/graph-line.ts. */
  check(start: number, end: number, sign: boolean): number {
    return this.exports.check(start, end, sign ? 1 : 0);
  }

  /** Checks the lines of buffer[start, filled), as `scanLines` in wasm/graph-line.ts does. Returns how many `records` and `times` describe. */
  scanLines(start: number, filled: number, atEnd: boolean): number {
    return this.exports.scanLines(start, filled, atEnd ? 1 : 0);
  }

  /**
   * Makes the buffer at least `capacity` bytes long and returns it, with its first `keep` bytes kept.
   * Growing the memory detaches the old buffer and every view of it, so callers must take the new one.
   */
  resize(capacity: number, keep: number): Buffer {
    const base = this.exports.inputStart();
    const memory = this.exports.memory;
    const needed = base + capacity + PADDING;
    if (needed > memory.buffer.byteLength) {
      // The memory's bytes survive growing. Only JavaScript's views of them are detached.
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
    }
    const bytes = memory.buffer;
    this.buffer = Buffer.from(bytes, base, Math.max(capacity, this.buffer.length, keep));
    this.starts = new Int32Array(bytes, this.exports.valueStartsPointer(), this.valueCount);
    this.ends = new Int32Array(bytes, this.exports.valueEndsPointer(), this.valueCount);
    this.flags = new Int32Array(bytes, this.exports.valueFlagsPointer(), this.valueCount);
    this.facts = new Int32Array(bytes, this.exports.lineFactsPointer(), 4);
    this.time = new Float64Array(bytes, this.exports.lineFactsPointer(), 1);
    this.records = new Int32Array(bytes, this.exports.recordIntsPointer(), this.exports.maxRecords() * 6);
    this.times = new Float64Array(bytes, this.exports.recordTimesPointer(), this.exports.maxRecords());
    this.counters = new Int32Array(bytes, this.exports.countersPointer(), 8);
    this.counterTimes = new Float64Array(bytes, this.exports.countersPointer() + 64, 3);
    return this.buffer;
  }
}
