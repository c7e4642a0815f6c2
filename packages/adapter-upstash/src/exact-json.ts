/** A response body that is not JSON. */
export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * `JSON.parse`, except that an integer literal beyond 2^53 becomes an exact `bigint` instead of a
 * rounded `number`. The REST API sends Redis integers as JSON numbers with every digit;
 * `JSON.parse` (and so @upstash/redis) would round the ones past `Number.MAX_SAFE_INTEGER`.
 * (`JSON.parse`'s reviver only sees the source text from ES2025 on, which Node 20 lacks.)
 */
export function parseJsonExact(text: string): unknown {
  const reader = new Reader(text);
  const value = reader.value();
  reader.skipWhitespace();
  if (reader.pos !== text.length) throw reader.error('unexpected text after the JSON value');
  return value;
}

class Reader {
  pos = 0;

  constructor(readonly text: string) {}

  value(): unknown {
    this.skipWhitespace();
    const char = this.text[this.pos];
    switch (char) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  error(message: string): JsonSyntaxError {
    return new JsonSyntaxError(`${message} at offset ${this.pos}`);
  }

  private object(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return object;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') throw this.error('expected a property name');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos++] !== ':') throw this.error("expected ':'");
      // defineProperty, so that a "__proto__" key is data and never a prototype.
      Object.defineProperty(object, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === '}') return object;
      if (next !== ',') throw this.error("expected ',' or '}'");
    }
  }

  private array(): unknown[] {
    const array: unknown[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return array;
    }
    for (;;) {
      array.push(this.value());
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === ']') return array;
      if (next !== ',') throw this.error("expected ',' or ']'");
    }
  }

  private string(): string {
    const start = this.pos;
    let end = start + 1;
    while (end < this.text.length) {
      const char = this.text[end];
      if (char === '\\') end += 2;
      else if (char === '"') break;
      else end++;
    }
    if (end >= this.text.length) throw this.error('unterminated string');
    this.pos = end + 1;
    try {
      // The escapes are JSON's own: let JSON.parse read them.
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      throw new JsonSyntaxError(`bad string at offset ${start}`);
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw this.error('unexpected token');
    this.pos += word.length;
    return value;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) throw this.error('unexpected token');
    this.pos = NUMBER.lastIndex;
    const token = match[0];
    const value = Number(token);
    const integer = match[1] === undefined && match[2] === undefined;
    return integer && !Number.isSafeInteger(value) ? BigInt(token) : value;
  }
}
