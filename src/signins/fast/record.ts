import { closeSync, openSync, writeSync } from 'node:fs';

import type { AuditEvent, NetworkFacts, SignInEvent } from '../event.js';

/**
 * Binary spill records for the parallel review: a normalised, enriched sign-in (only what the
 * detections, timelines and summary read) or an audit event, written straight into a byte buffer
 * and read back without splitting text, unescaping or building intermediate objects. Length
 * prefixes replace escaping, so values may hold any character.
 *
 * Layout: u32 record length (after these 4 bytes), u8 kind (S or A), then slots. A slot is a u8
 * tag, then for strings a u32 byte length and the bytes, for numbers a float64.
 */

const UNDEFINED = 0;
const NULL = 1;
const ASCII = 2;
const UTF8 = 3;
const NUMBER = 4;
const TRUE = 5;
const FALSE = 6;
const JSON_TEXT = 7;
/** A string written before in the same file, by its number in the file's dictionary. */
const REFERENCE = 8;
/** A string added to the file's dictionary as it is written (ASCII or UTF-8). */
const ASCII_ENTRY = 9;
const UTF8_ENTRY = 10;

/**
 * Maximum number of strings in each file's dictionary. Users, apps, clients and addresses recur
 * within a partition, so most of them are written once and then referenced by number. The cap
 * bounds the memory of a worker's writers whatever the input.
 */
const DICTIONARY_ENTRIES = 512;

/** Longer strings (rare user agents) are written in full each time. */
const MAX_SHARED = 256;

const SIGN_IN = 0x53;
const AUDIT = 0x41;

/** Top-level string fields of a sign-in, in slot order. */
const STRING_FIELDS = [
  'userId',
  'userPrincipalName',
  'userDisplayName',
  'appId',
  'appDisplayName',
  'resourceId',
  'ipAddress',
  'clientAppUsed',
  'userAgent',
  'authenticationProtocol',
  'originalTransferMethod',
  'incomingTokenType',
  'sessionId',
  'uniqueTokenIdentifier',
  'authenticationRequirement',
  'conditionalAccessStatus',
  'riskLevelDuringSignIn',
  'riskState',
] as const satisfies readonly (keyof SignInEvent)[];

/** Appends records to a file through one reusable buffer. */
export class RecordWriter {
  private bytes: Buffer;
  private used = 0;
  private recordStart = 0;
  private readonly fd: number;
  private readonly dictionary = new Map<string, number>();

  constructor(file: string, bufferBytes: number) {
    this.fd = openSync(file, 'w', 0o600);
    this.bytes = Buffer.allocUnsafe(bufferBytes);
  }

  /** Makes room for `needed` more bytes, flushing the records completed so far. */
  private reserve(needed: number): void {
    if (this.used + needed <= this.bytes.length) return;
    // Completed records go to the file; the record being written moves to the buffer start.
    if (this.recordStart > 0) {
      writeSync(this.fd, this.bytes, 0, this.recordStart);
      this.bytes.copy(this.bytes, 0, this.recordStart, this.used);
      this.used -= this.recordStart;
      this.recordStart = 0;
    }
    if (this.used + needed > this.bytes.length) {
      const larger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + needed));
      this.bytes.copy(larger, 0, 0, this.used);
      this.bytes = larger;
    }
  }

  private begin(kind: number): void {
    this.reserve(5);
    this.recordStart = this.used;
    this.used += 4;
    this.bytes[this.used++] = kind;
  }

  private end(): void {
    this.bytes.writeUInt32LE(this.used - this.recordStart - 4, this.recordStart);
    this.recordStart = this.used;
  }

  private tag(tag: number): void {
    this.reserve(1);
    this.bytes[this.used++] = tag;
  }

  private string(value: string, json = false, entry = false): void {
    this.reserve(5 + value.length * 3);
    const written = this.bytes.write(value, this.used + 5, 'utf8');
    const ascii = written === value.length;
    let tag = ascii ? ASCII : UTF8;
    if (json) tag = JSON_TEXT;
    else if (entry) tag = ascii ? ASCII_ENTRY : UTF8_ENTRY;
    this.bytes[this.used] = tag;
    this.bytes.writeUInt32LE(written, this.used + 1);
    this.used += 5 + written;
  }

  /**
   * Writes a string as a reference when it was written before. Otherwise it writes it in full and
   * adds it to the dictionary while there is room and it is at most `MAX_SHARED` long. `value` skips
   * this (its `shared` argument is false) for values unique to an event.
   */
  private shared(value: string): void {
    const known = this.dictionary.get(value);
    if (known !== undefined) {
      this.reserve(5);
      this.bytes[this.used] = REFERENCE;
      this.bytes.writeUInt32LE(known, this.used + 1);
      this.used += 5;
    } else if (this.dictionary.size < DICTIONARY_ENTRIES && value.length <= MAX_SHARED) {
      this.dictionary.set(value, this.dictionary.size);
      this.string(value, false, true);
    } else this.string(value);
  }

  private value(value: string | number | boolean | null | undefined, shared = false): void {
    if (value === undefined) this.tag(UNDEFINED);
    else if (value === null) this.tag(NULL);
    else if (typeof value === 'string') {
      if (shared) this.shared(value);
      else this.string(value);
    }
    else if (typeof value === 'boolean') this.tag(value ? TRUE : FALSE);
    else {
      this.reserve(9);
      this.bytes[this.used] = NUMBER;
      this.bytes.writeDoubleLE(value, this.used + 1);
      this.used += 9;
    }
  }

  private json(value: unknown): void {
    if (value === undefined) this.tag(UNDEFINED);
    else this.string(JSON.stringify(value), true);
  }

  signIn(event: SignInEvent): void {
    this.begin(SIGN_IN);
    this.value(event.id);
    this.value(event.createdDateTime);
    for (const field of STRING_FIELDS) this.value(event[field], field !== 'uniqueTokenIdentifier' && field !== 'sessionId');
    this.value(event.isInteractive);
    this.value(event.autonomousSystemNumber);

    // status: presence, then errorCode and additionalDetails as the detections read them.
    if (event.status) {
      this.tag(TRUE);
      this.value(event.status.errorCode ?? null);
      this.value(event.status.additionalDetails, true);
    } else this.tag(UNDEFINED);

    // location: presence (a null location reads back as an empty one), country, coordinates.
    if (event.location !== undefined) {
      this.tag(TRUE);
      this.value(event.location?.countryOrRegion ?? null, true);
      const coordinates = event.location?.geoCoordinates;
      if (coordinates) {
        this.tag(TRUE);
        this.value(coordinates.latitude ?? null);
        this.value(coordinates.longitude ?? null);
      } else this.tag(UNDEFINED);
    } else this.tag(UNDEFINED);

    this.json(event.riskEventTypes_v2);
    // Only failed policies matter (device-code-blocked); the others are dropped to keep records small.
    this.json(event.appliedConditionalAccessPolicies?.filter((policy) => policy.result === 'failure'));

    const network = event.network;
    if (network) {
      this.tag(TRUE);
      this.value(network.country, true);
      this.value(network.asn);
      this.value(network.asnName, true);
      this.value(network.hosting);
      this.json(network.disagreements);
    } else this.tag(UNDEFINED);

    if (event.source) {
      this.tag(TRUE);
      this.value(event.source.file, true);
      this.value(event.source.line);
      this.value(event.source.record);
    } else this.tag(UNDEFINED);
    this.end();
  }

  audit(event: AuditEvent): void {
    this.begin(AUDIT);
    this.json(event);
    this.end();
  }

  close(): void {
    if (this.used > 0) writeSync(this.fd, this.bytes, 0, this.used);
    this.used = 0;
    this.recordStart = 0;
    closeSync(this.fd);
  }
}

/** Reads the records of one spill file's bytes in order. */
export class RecordReader {
  private index = 0;
  private readonly bytes: Buffer;
  private readonly dictionary: string[] = [];

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  /** Reads the next record, or returns null at the end. */
  next(): { kind: 'signIn'; event: SignInEvent } | { kind: 'audit'; event: AuditEvent } | null {
    if (this.index >= this.bytes.length) return null;
    const length = this.bytes.readUInt32LE(this.index);
    const end = this.index + 4 + length;
    const kind = this.bytes[this.index + 4];
    this.index += 5;
    let record: { kind: 'signIn'; event: SignInEvent } | { kind: 'audit'; event: AuditEvent };
    if (kind === AUDIT) record = { kind: 'audit', event: this.value() as AuditEvent };
    else if (kind === SIGN_IN) record = { kind: 'signIn', event: this.signIn() };
    else throw new Error(`spill record of unknown kind ${String(kind)}`);
    if (this.index !== end) throw new Error('spill record length does not match its content');
    return record;
  }

  private value(): unknown {
    const bytes = this.bytes;
    const tag = bytes[this.index++];
    switch (tag) {
      case UNDEFINED:
        return undefined;
      case NULL:
        return null;
      case TRUE:
        return true;
      case FALSE:
        return false;
      case NUMBER: {
        const value = bytes.readDoubleLE(this.index);
        this.index += 8;
        return value;
      }
      case REFERENCE: {
        const entry = this.dictionary[bytes.readUInt32LE(this.index)];
        if (entry === undefined) throw new Error('spill record refers to an unknown string');
        this.index += 4;
        return entry;
      }
      case ASCII:
      case UTF8:
      case JSON_TEXT:
      case ASCII_ENTRY:
      case UTF8_ENTRY: {
        const length = bytes.readUInt32LE(this.index);
        const start = this.index + 4;
        this.index = start + length;
        const text = bytes.toString(tag === ASCII || tag === ASCII_ENTRY ? 'latin1' : 'utf8', start, start + length);
        if (tag === ASCII_ENTRY || tag === UTF8_ENTRY) this.dictionary.push(text);
        return tag === JSON_TEXT ? JSON.parse(text) : text;
      }
      default:
        throw new Error(`spill record contains a value of unknown type ${String(tag)}`);
    }
  }

  private signIn(): SignInEvent {
    const event = { id: this.value() as string, createdDateTime: this.value() as string } as SignInEvent;
    const fields = event as unknown as Record<string, unknown>;
    for (const field of STRING_FIELDS) {
      const value = this.value();
      if (value !== undefined) fields[field] = value;
    }
    const interactive = this.value();
    if (interactive !== undefined) event.isInteractive = interactive as boolean | null;
    const asn = this.value();
    if (asn !== undefined) event.autonomousSystemNumber = asn as number | null;

    if (this.value() === true) {
      const errorCode = this.value() as number | null;
      const additionalDetails = this.value() as string | null | undefined;
      event.status = additionalDetails === undefined ? { errorCode } : { errorCode, additionalDetails };
    }

    if (this.value() === true) {
      const countryOrRegion = this.value() as string | null;
      if (this.value() === true) {
        event.location = { countryOrRegion, geoCoordinates: { latitude: this.value() as number | null, longitude: this.value() as number | null } };
      } else event.location = { countryOrRegion };
    }

    const riskTypes = this.value();
    if (riskTypes !== undefined) event.riskEventTypes_v2 = riskTypes as string[];
    const policies = this.value();
    if (policies !== undefined) event.appliedConditionalAccessPolicies = policies as SignInEvent['appliedConditionalAccessPolicies'];

    if (this.value() === true) {
      const network: NetworkFacts = {};
      const country = this.value();
      if (country !== undefined) network.country = country as string | null;
      const asnValue = this.value();
      if (asnValue !== undefined) network.asn = asnValue as number | null;
      const asnName = this.value();
      if (asnName !== undefined) network.asnName = asnName as string | null;
      const hosting = this.value();
      if (hosting !== undefined) network.hosting = hosting as boolean;
      const disagreements = this.value();
      if (disagreements !== undefined) network.disagreements = disagreements as string[];
      event.network = network;
    }

    if (this.value() === true) {
      const file = this.value() as string;
      const line = this.value() as number | undefined;
      const record = this.value() as number | undefined;
      event.source = { file, ...(line !== undefined ? { line } : {}), ...(record !== undefined ? { record } : {}) };
    }
    return event;
  }
}
