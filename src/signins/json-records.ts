import { InputError } from '../errors.js';

/** One record's JSON text with where it starts in the file. */
export interface RecordText {
  text: string;
  /** 1-based line of the record's opening brace. */
  line: number;
  /** 0-based index of the record in the file. */
  index: number;
}

/** Keys of a top-level object whose array contains the records: Graph pages and diagnostic-settings batches. */
const RECORD_ARRAY_KEYS = new Set(['value', 'records']);

const EXPECTED = 'a JSON array of records, a Graph page `{ "value": [...] }` or a diagnostic-settings batch `{ "records": [...] }`';
const FIX = 'export the logs again, or check that the file was not cut short or edited by hand';

/**
 * Splits a JSON document into the text of each record without parsing the records, so memory
 * contains one record at a time however large the file is. Accepts a bare array of objects, objects
 * with a `value` or `records` array (Graph pages, Azure Monitor batches), and several such
 * documents one after another (pages appended to one file). Each record is then parsed on its own,
 * which also gives a syntax error its record and line.
 *
 * A hand-written scanner instead of stream-json: it only tracks strings and brackets, which is
 * several times faster than building tokens, and it records the line of every record.
 */
export async function* splitJsonRecords(chunks: AsyncIterable<string>, file: string): AsyncGenerator<RecordText> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let index = 0;
  /** Depth at which the elements of the current record array sit, or 0 outside one. */
  let recordArrayDepth = 0;
  let recordArraySeen = false;
  let afterComma = false;
  /** Parts of the record being captured; the record runs from its `{` to the matching `}`. */
  let recordParts: string[] | null = null;
  let recordLine = 0;
  /** Key capture for depth-1 object keys: the text of the last string at depth 1. */
  let keyParts: string[] | null = null;
  let lastKey = '';
  let topLevelIsObject = false;
  let sawErrorKey = false;

  const fail = (problem: string, at: number = line): never => {
    throw new InputError({ file, line: at, ...(recordParts ? { record: index } : {}) }, problem, EXPECTED, FIX);
  };

  for await (const chunk of chunks) {
    let captureStart = recordParts ? 0 : -1;
    let keyStart = keyParts ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) {
          inString = false;
          if (keyParts) {
            keyParts.push(chunk.slice(keyStart, i));
            lastKey = keyParts.join('');
            if (lastKey === 'error') sawErrorKey = true;
            keyParts = null;
            keyStart = -1;
          }
        }
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;

      if (recordParts) {
        // Inside a record: only strings and brackets matter.
        if (c === 34) inString = true;
        else if (c === 123 || c === 91) depth++;
        else if (c === 125 || c === 93) {
          depth--;
          if (depth === recordArrayDepth) {
            recordParts.push(chunk.slice(captureStart, i + 1));
            yield { text: recordParts.join(''), line: recordLine, index };
            index++;
            recordParts = null;
            captureStart = -1;
          }
        }
        continue;
      }

      if (depth === 0) {
        if (c === 91) {
          depth = 1;
          recordArrayDepth = 1;
          recordArraySeen = true;
          topLevelIsObject = false;
          afterComma = false;
        } else if (c === 123) {
          depth = 1;
          topLevelIsObject = true;
          recordArraySeen = false;
          lastKey = '';
          sawErrorKey = false;
        } else if (c === 0xfeff) {
          continue;
        } else {
          fail(`unexpected character ${JSON.stringify(String.fromCharCode(c))} outside any JSON value`);
        }
        continue;
      }

      if (recordArrayDepth !== 0 && depth === recordArrayDepth) {
        // Between records of a record array.
        if (c === 123) {
          recordParts = [];
          captureStart = i;
          recordLine = line;
          depth++;
          afterComma = false;
        } else if (c === 44) {
          afterComma = true;
        } else if (c === 93) {
          if (afterComma) fail('a trailing comma after the last record');
          depth--;
          recordArrayDepth = 0;
          if (depth === 0 && !topLevelIsObject) continue;
        } else {
          fail(`record ${index} is not a JSON object`);
        }
        continue;
      }

      // Outside records: the top-level object's own keys and values (such as `@odata.nextLink`).
      if (c === 34) {
        inString = true;
        if (depth === 1 && topLevelIsObject) {
          keyParts = [];
          keyStart = i + 1;
        }
      } else if (c === 91) {
        depth++;
        if (depth === 2 && topLevelIsObject && RECORD_ARRAY_KEYS.has(lastKey)) {
          recordArrayDepth = 2;
          recordArraySeen = true;
          afterComma = false;
        }
      } else if (c === 123) {
        depth++;
      } else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0 && topLevelIsObject && !recordArraySeen) {
          // A saved API error response is the usual such object. The message names it, because it contains the cause.
          fail(sawErrorKey ? 'the top-level object is an API error response (an `error` key) with no `value` or `records` array' : 'the top-level object has no `value` or `records` array');
        }
      }
    }
    if (recordParts && captureStart !== -1) recordParts.push(chunk.slice(captureStart));
    if (keyParts && keyStart !== -1) keyParts.push(chunk.slice(keyStart));
  }

  if (inString || depth !== 0) {
    if (recordParts) fail(`the file ends inside record ${index}, which starts at line ${recordLine}`, recordLine);
    fail('the file ends before the JSON document is closed');
  }
}
