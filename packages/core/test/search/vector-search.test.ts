import {
  encodeVector,
  RedisCapabilityError,
  RedisConnectionError,
  type RedisReply,
  RedisReplyError,
  RedisSerializationError,
  RedisService,
  RedisValidationError,
  type VectorIndexSpec,
} from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { FakeDriver, type FakeDriverOptions } from '../support/fake-driver.js';

const movies: VectorIndexSpec = {
  name: 'movies',
  prefix: 'movie:',
  field: 'embedding',
  dims: 2,
  distance: 'COSINE',
  algorithm: 'HNSW',
  fields: [
    { type: 'TAG', name: 'genre' },
    { type: 'NUMERIC', name: 'year', sortable: true },
    { type: 'TEXT', name: 'title' },
  ],
};

const UNKNOWN_FT_LIST = "ERR unknown command 'FT._LIST', with args beginning with: ";

function service(options: FakeDriverOptions = {}): { redis: RedisService; driver: FakeDriver } {
  const driver = new FakeDriver({ capabilities: { search: true }, ...options });
  return { redis: new RedisService(driver, { keyPrefix: 'app:' }), driver };
}

/** The RESP2 shape of a KNN FT.SEARCH reply, as the port normalizes it. */
function knnReply(...hits: [key: string, fields: string[]][]): RedisReply {
  return [hits.length, ...hits.flat()];
}

describe('createVectorIndex', () => {
  it('builds FT.CREATE with prefixed name and prefix, the vector field and the other fields', async () => {
    const { redis, driver } = service();
    await redis.createVectorIndex(movies);
    expect(driver.sent).toEqual([
      [
        'FT.CREATE',
        'app:movies',
        'ON',
        'HASH',
        'PREFIX',
        1,
        'app:movie:',
        'SCHEMA',
        'embedding',
        'VECTOR',
        'HNSW',
        6,
        'TYPE',
        'FLOAT32',
        'DIM',
        2,
        'DISTANCE_METRIC',
        'COSINE',
        'genre',
        'TAG',
        'year',
        'NUMERIC',
        'SORTABLE',
        'title',
        'TEXT',
      ],
    ]);
  });

  it('builds FLAT with L2 and a TAG separator', async () => {
    const { redis, driver } = service();
    await redis.createVectorIndex({
      name: 'i',
      prefix: 'd:',
      field: 'v',
      dims: 8,
      distance: 'L2',
      algorithm: 'FLAT',
      fields: [{ type: 'TAG', name: 'tags', separator: ';' }],
    });
    expect(driver.sent[0]).toEqual([
      'FT.CREATE',
      'app:i',
      'ON',
      'HASH',
      'PREFIX',
      1,
      'app:d:',
      'SCHEMA',
      'v',
      'VECTOR',
      'FLAT',
      6,
      'TYPE',
      'FLOAT32',
      'DIM',
      8,
      'DISTANCE_METRIC',
      'L2',
      'tags',
      'TAG',
      'SEPARATOR',
      ';',
    ]);
  });

  it('refuses a bad spec before sending anything', async () => {
    const { redis, driver } = service();
    const bad: unknown[] = [
      { ...movies, dims: 0 },
      { ...movies, distance: 'DOT' },
      { ...movies, algorithm: 'IVF' },
      { ...movies, field: 'em bedding' },
      { ...movies, fields: [{ type: 'TAG', name: 'a}b' }] },
      { ...movies, fields: [{ type: 'GEO', name: 'loc' }] },
      { ...movies, fields: [{ type: 'TAG', name: 'embedding' }] },
      { ...movies, fields: [{ type: 'TAG', name: 't', separator: ';;' }] },
      { ...movies, name: '' },
    ];
    for (const spec of bad) {
      await expect(redis.createVectorIndex(spec as VectorIndexSpec)).rejects.toBeInstanceOf(
        RedisValidationError,
      );
    }
    expect(driver.sent).toEqual([]);
  });
});

describe('dropIndex', () => {
  it('sends FT.DROPINDEX, with DD only when asked', async () => {
    const { redis, driver } = service();
    await redis.dropIndex('movies');
    await redis.dropIndex(movies, { deleteDocuments: true });
    await redis.dropIndex('movies', { deleteDocuments: false });
    expect(driver.sent).toEqual([
      ['FT.DROPINDEX', 'app:movies'],
      ['FT.DROPINDEX', 'app:movies', 'DD'],
      ['FT.DROPINDEX', 'app:movies'],
    ]);
  });

  it('passes the server error through', async () => {
    const { redis, driver } = service();
    driver.fail(new RedisReplyError('Unknown Index name'));
    await expect(redis.dropIndex('nope')).rejects.toThrow('Unknown Index name');
  });
});

describe('upsertVectorDocument', () => {
  it('stores the vector as FLOAT32 LE bytes and the fields as given', async () => {
    const { redis, driver } = service();
    driver.reply(4);
    const added = await redis.upsertVectorDocument(movies, 'movie:1', {
      vector: [0.5, -1],
      fields: { genre: 'sci-fi', year: 1999, title: 'The Matrix' },
    });
    expect(added).toBe(4);
    expect(driver.sent).toEqual([
      [
        'HSET',
        'app:movie:1',
        'embedding',
        encodeVector([0.5, -1], 2),
        'genre',
        'sci-fi',
        'year',
        1999,
        'title',
        'The Matrix',
      ],
    ]);
  });

  it('refuses wrong dims, NaN, a key outside the prefix and the vector field among fields', async () => {
    const { redis, driver } = service();
    const attempts = [
      redis.upsertVectorDocument(movies, 'movie:1', { vector: [1, 2, 3] }),
      redis.upsertVectorDocument(movies, 'movie:1', { vector: [1, Number.NaN] }),
      redis.upsertVectorDocument(movies, 'film:1', { vector: [1, 2] }),
      redis.upsertVectorDocument(movies, 'movie:1', { vector: [1, 2], fields: { embedding: 'x' } }),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.sent).toEqual([]);
  });

  it('needs the binary capability, checked before sending', async () => {
    const { redis, driver } = service({ capabilities: { search: true, binary: false } });
    const error = await redis.upsertVectorDocument(movies, 'movie:1', { vector: [1, 2] }).catch((e) => e);
    expect(error).toBeInstanceOf(RedisCapabilityError);
    expect((error as RedisCapabilityError).capability).toBe('binary');
    expect(driver.sent).toEqual([]);
  });
});

describe('vectorSearch', () => {
  it('sends the vector as the $vec parameter with DIALECT 2 and decodes hits closest first', async () => {
    const { redis, driver } = service();
    driver.reply(
      knnReply(
        ['app:movie:2', ['title', 'Alien', '__embedding_score', '0.25']],
        ['app:movie:1', ['title', 'The Matrix', '__embedding_score', '0.0500000119209']],
      ),
    );
    const hits = await redis.vectorSearch(movies, [1, 0], { k: 2, returnFields: ['title'] });
    expect(hits).toEqual([
      { key: 'movie:1', score: 0.0500000119209, fields: { title: 'The Matrix' } },
      { key: 'movie:2', score: 0.25, fields: { title: 'Alien' } },
    ]);
    expect(driver.sent).toEqual([
      [
        'FT.SEARCH',
        'app:movies',
        '*=>[KNN $k @embedding $vec]',
        'RETURN',
        2,
        'title',
        '__embedding_score',
        'SORTBY',
        '__embedding_score',
        'ASC',
        'LIMIT',
        0,
        2,
        'PARAMS',
        4,
        'k',
        2,
        'vec',
        encodeVector([1, 0], 2),
        'DIALECT',
        2,
      ],
    ]);
  });

  it('combines TAG, NUMERIC and TEXT filters with AND, escaping values and passing bounds as parameters', async () => {
    const { redis, driver } = service();
    driver.reply([0]);
    const hits = await redis.vectorSearch(movies, Float32Array.from([1, 0]), {
      k: 5,
      filter: {
        tag: { field: 'genre', anyOf: ['sci-fi} | @title:(x', 'drama'] },
        numeric: [
          { field: 'year', min: 1990, max: 2000.5 },
          { field: 'year', max: 1995 },
        ],
        text: { field: 'title', matches: '  the  matrix* ' },
      },
    });
    expect(hits).toEqual([]);
    const command = driver.sent[0]!;
    expect(command[2]).toBe(
      '(@genre:{sci\\-fi\\}\\ \\|\\ \\@title\\:\\(x | drama} @year:[$n0 $n1] @year:[-inf $n2] @title:(the matrix\\*))' +
        '=>[KNN $k @embedding $vec]',
    );
    expect(command.slice(command.indexOf('PARAMS'))).toEqual([
      'PARAMS',
      10,
      'k',
      5,
      'n0',
      '1990',
      'n1',
      '2000.5',
      'n2',
      '1995',
      'vec',
      encodeVector([1, 0], 2),
      'DIALECT',
      2,
    ]);
    expect(command.slice(3, 6)).toEqual(['RETURN', 1, '__embedding_score']);
  });

  it('takes the vector field from options when the index is given by name', async () => {
    const { redis, driver } = service();
    driver.reply([1, 'app:x:1', ['__vec_score', '1.5', 'tag', 'a']]);
    const hits = await redis.vectorSearch('idx', [1, 2, 3], { k: 1, field: 'vec', returnFields: ['tag'] });
    expect(hits).toEqual([{ key: 'x:1', score: 1.5, fields: { tag: 'a' } }]);
    expect(driver.sent[0]!.slice(0, 3)).toEqual(['FT.SEARCH', 'app:idx', '*=>[KNN $k @vec $vec]']);
  });

  it('skips a hit whose document vanished (nil fields)', async () => {
    const { redis, driver } = service();
    driver.reply([2, 'app:movie:1', null, 'app:movie:2', ['__embedding_score', '0.5']]);
    expect(await redis.vectorSearch(movies, [1, 0], { k: 2 })).toEqual([
      { key: 'movie:2', score: 0.5, fields: {} },
    ]);
  });

  it('refuses a reply of another shape with RedisSerializationError', async () => {
    const { redis, driver } = service();
    driver.reply('OK', [1, 'app:movie:1', ['title', 'x']]);
    await expect(redis.vectorSearch(movies, [1, 0], { k: 1 })).rejects.toBeInstanceOf(
      RedisSerializationError,
    );
    await expect(redis.vectorSearch(movies, [1, 0], { k: 1 })).rejects.toThrow(/__embedding_score/);
  });

  it('refuses bad input before sending anything', async () => {
    const { redis, driver } = service();
    const attempts: Promise<unknown>[] = [
      redis.vectorSearch(movies, [1, 0], { k: 0 }),
      redis.vectorSearch(movies, [1, 0], { k: -1 }),
      redis.vectorSearch(movies, [1, 0], { k: 1.5 }),
      redis.vectorSearch(movies, [1, Number.NaN], { k: 1 }),
      redis.vectorSearch(movies, [1, Number.POSITIVE_INFINITY], { k: 1 }),
      redis.vectorSearch(movies, [1, 0, 0], { k: 1 }),
      redis.vectorSearch('idx', [1, 0], { k: 1 }),
      redis.vectorSearch(movies, [1, 0], { k: 1, returnFields: ['embedding'] }),
      redis.vectorSearch(movies, [1, 0], { k: 1, returnFields: ['nope'] }),
      redis.vectorSearch(movies, [1, 0], { k: 1, filter: { tag: { field: 'genre', anyOf: [] } } }),
      redis.vectorSearch(movies, [1, 0], { k: 1, filter: { tag: { field: 'genre', anyOf: [''] } } }),
      redis.vectorSearch(movies, [1, 0], { k: 1, filter: { tag: { field: 'year', anyOf: ['x'] } } }),
      redis.vectorSearch(movies, [1, 0], { k: 1, filter: { tag: { field: 'genre}', anyOf: ['x'] } } }),
      redis.vectorSearch('idx', [1, 0], {
        k: 1,
        field: 'v',
        filter: { text: { field: 'a b', matches: 'x' } },
      }),
      redis.vectorSearch(movies, [1, 0], { k: 1, filter: { numeric: { field: 'year' } } }),
      redis.vectorSearch(movies, [1, 0], { k: 1, filter: { numeric: { field: 'year', min: Number.NaN } } }),
      redis.vectorSearch(movies, [1, 0], { k: 1, filter: { numeric: { field: 'year', min: 3, max: 2 } } }),
      redis.vectorSearch(movies, [1, 0], { k: 1, filter: { text: { field: 'title', matches: '   ' } } }),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(RedisValidationError);
    expect(driver.sent).toEqual([]);
  });
});

describe('search capability', () => {
  it('refuses with RedisCapabilityError when the driver declares no search, sending nothing', async () => {
    const { redis, driver } = service({ capabilities: { search: false } });
    const error = await redis.vectorSearch(movies, [1, 0], { k: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(RedisCapabilityError);
    expect((error as RedisCapabilityError).capability).toBe('search');
    await expect(redis.createVectorIndex(movies)).rejects.toBeInstanceOf(RedisCapabilityError);
    await expect(redis.dropIndex('movies')).rejects.toBeInstanceOf(RedisCapabilityError);
    expect(await redis.searchAvailable()).toBe(false);
    expect(driver.sent).toEqual([]);
  });

  it('names search before binary when both are missing, and binary when only it is', async () => {
    const neither = service({ capabilities: { search: false, binary: false } });
    const first = await neither.redis.vectorSearch(movies, [1, 0], { k: 1 }).catch((e) => e);
    expect((first as RedisCapabilityError).capability).toBe('search');
    const searchOnly = service({ capabilities: { search: true, binary: false } });
    const second = await searchOnly.redis.vectorSearch(movies, [1, 0], { k: 1 }).catch((e) => e);
    expect(second).toBeInstanceOf(RedisCapabilityError);
    expect((second as RedisCapabilityError).capability).toBe('binary');
    expect([...neither.driver.sent, ...searchOnly.driver.sent]).toEqual([]);
  });

  it('detects the module once with FT._LIST and remembers a missing module', async () => {
    const { redis, driver } = service({ capabilities: { search: 'detect' } });
    driver.fail(new RedisReplyError(UNKNOWN_FT_LIST));
    const first = await redis.vectorSearch(movies, [1, 0], { k: 1 }).catch((e) => e);
    expect(first).toBeInstanceOf(RedisCapabilityError);
    expect((first as Error).message).toMatch(/no search module/);
    await expect(redis.createVectorIndex(movies)).rejects.toBeInstanceOf(RedisCapabilityError);
    expect(await redis.searchAvailable()).toBe(false);
    expect(driver.sent).toEqual([['FT._LIST']]);
  });

  it('detects the module once and then sends the commands', async () => {
    const { redis, driver } = service({ capabilities: { search: 'detect' } });
    driver.reply([], 'OK', 'OK');
    await Promise.all([redis.createVectorIndex(movies), redis.dropIndex('movies')]);
    expect(await redis.searchAvailable()).toBe(true);
    expect(driver.sent.map((command) => command[0])).toEqual(['FT._LIST', 'FT.CREATE', 'FT.DROPINDEX']);
  });

  it('asks again after a detection that failed for another reason', async () => {
    const { redis, driver } = service({ capabilities: { search: 'detect' } });
    driver.fail(new RedisConnectionError('lost'));
    await expect(redis.searchAvailable()).rejects.toBeInstanceOf(RedisConnectionError);
    driver.reply(['other-index']);
    expect(await redis.searchAvailable()).toBe(true);
    expect(driver.sent).toEqual([['FT._LIST'], ['FT._LIST']]);
  });
});
