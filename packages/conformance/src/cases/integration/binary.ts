import assert from 'node:assert/strict';
import type { IntegrationCase } from '../../case.js';
import { allByteValues, assertBytes } from './support/bytes.js';
import { defineCases } from './support/define-cases.js';

/** Bytes that are not valid UTF-8 (a lone continuation byte, an overlong form, 0xff): text decoding mangles them. */
const notUtf8 = Uint8Array.from([0x80, 0xc0, 0xaf, 0xff, 0xfe, 0x00, 0xed, 0xa0, 0x80]);

/** Cases on binary-safe values; every one needs the `binary` capability. */
export const binaryCases: IntegrationCase[] = defineCases('binary', [
  {
    slug: 'all-byte-values-round-trip',
    name: 'a value holding every byte 0-255 round-trips exactly through set and getBytes',
    requires: ['binary'],
    async run({ redis }) {
      const bytes = allByteValues();
      assert.equal(await redis.set('bin', bytes), true);
      assertBytes(await redis.getBytes('bin'), bytes, 'getBytes');
      assert.equal(await redis.getBytes('missing'), null);
      await redis.set('odd', notUtf8);
      assertBytes(await redis.getBytes('odd'), notUtf8, 'getBytes of invalid UTF-8');
      await redis.set('empty', new Uint8Array(0));
      assertBytes(await redis.getBytes('empty'), new Uint8Array(0), 'getBytes of an empty value');
    },
  },
  {
    slug: 'text-read-as-bytes',
    name: 'text written as a string reads back as its UTF-8 bytes, and bytes of UTF-8 text read back as text',
    requires: ['binary'],
    async run({ redis }) {
      await redis.set('text', 'héllo 🌍');
      assertBytes(await redis.getBytes('text'), new TextEncoder().encode('héllo 🌍'), 'getBytes of text');
      await redis.set('bytes', new TextEncoder().encode('ünï'));
      assert.equal(await redis.get('bytes'), 'ünï');
    },
  },
  {
    slug: 'bytes-in-hashes-and-lists',
    name: 'bytes stored with hset and lpush read back exactly through a binary command()',
    requires: ['binary'],
    async run({ redis, prefix }) {
      const bytes = allByteValues();
      await redis.hset('h', 'f', bytes);
      await redis.hset('h', { g: notUtf8 });
      assertBytes(await redis.command(['HGET', `${prefix}h`, 'f'], { binary: true }), bytes, 'HGET f');
      assertBytes(await redis.command(['HGET', `${prefix}h`, 'g'], { binary: true }), notUtf8, 'HGET g');
      await redis.lpush('l', bytes, notUtf8);
      const items = await redis.command(['LRANGE', `${prefix}l`, 0, -1], { binary: true });
      assert.ok(Array.isArray(items) && items.length === 2, 'LRANGE returns two items');
      assertBytes(items[0], notUtf8, 'first item');
      assertBytes(items[1], bytes, 'second item');
      assert.strictEqual(
        await redis.command(['LLEN', `${prefix}l`], { binary: true }),
        2,
        'integers stay numbers',
      );
    },
  },
]);
