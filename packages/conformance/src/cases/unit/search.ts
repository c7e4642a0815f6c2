import assert from 'node:assert/strict';
import {
  encodeVector,
  RedisCapabilityError,
  type RedisDriver,
  RedisService,
  type VectorIndexSpec,
} from '@redis-service/core';
import type { UnitCase, UnitContext } from '../../case.js';
import { type RespValue, reply } from '../../fake/resp-value.js';
import type { ScriptedServer, ScriptedServerScript } from '../../fake/scripted-server.js';
import { commandsNamed, PROMPT_FAILURE_MS, rejectsWithin, scenario, utf8 } from './unit-support.js';

const PREFIX = 'app:';

const movies: VectorIndexSpec = {
  name: 'movies',
  prefix: 'movie:',
  field: 'embedding',
  dims: 3,
  distance: 'COSINE',
  algorithm: 'HNSW',
  fields: [
    { type: 'TAG', name: 'genre' },
    { type: 'NUMERIC', name: 'year' },
    { type: 'TEXT', name: 'title', sortable: true },
  ],
};

/**
 * What RediSearch 2.x (and Redis 8) answer over RESP2: `FT._LIST` an array of index names,
 * `FT.CREATE` and `FT.DROPINDEX` `+OK`, `HSET` the count of new fields; `FT.SEARCH` is the case's.
 */
function searchServer(search: (command: readonly string[]) => RespValue): ScriptedServerScript {
  return (command) => {
    switch (command[0]) {
      case 'FT._LIST':
        return reply.array([reply.bulk(`${PREFIX}movies`)]);
      case 'FT.CREATE':
      case 'FT.DROPINDEX':
        return reply.ok();
      case 'HSET':
        return reply.int(Math.floor((command.length - 2) / 2));
      case 'FT.SEARCH':
        return search(command);
      default:
        return undefined;
    }
  };
}

/** A KNN `FT.SEARCH` reply in RESP2: `[total, key, [field, value, ...], ...]`. */
function knnReply(hits: readonly (readonly [key: string, fields: readonly string[]])[]): RespValue {
  return reply.array([
    reply.int(hits.length),
    ...hits.flatMap(([key, fields]) => [
      reply.bulk(key),
      reply.array(fields.map((field) => reply.bulk(field))),
    ]),
  ]);
}

async function searchScenario(
  ctx: UnitContext,
  search: (command: readonly string[]) => RespValue = () => knnReply([]),
): Promise<{ server: ScriptedServer; redis: RedisService; driver: RedisDriver }> {
  const { server, driver } = await scenario(ctx, searchServer(search));
  return { server, driver, redis: new RedisService(driver, { keyPrefix: PREFIX }) };
}

/** The raw bytes of the argument right after `name` in a received command. */
function rawArgAfter(server: ScriptedServer, command: string, name: string): Uint8Array {
  const received = server.received.find((item) => item.argv[0] === command);
  assert.ok(received, `the server received ${command}`);
  const at = received.argv.indexOf(name);
  assert.ok(at > 0, `${command} has ${name}`);
  return new Uint8Array(received.raw[at + 1]!);
}

const createIndex: UnitCase = {
  id: 'search/create-index-command',
  group: 'search',
  name: 'createVectorIndex sends FT.CREATE ON HASH with the prefixed name and prefix, the vector and the other fields',
  tier: 'unit',
  transports: ['resp'],
  requires: ['search', 'binary'],
  async run(ctx) {
    const { server, redis } = await searchScenario(ctx);
    await redis.createVectorIndex(movies);
    await redis.createVectorIndex({
      name: 'docs',
      prefix: 'doc:',
      field: 'v',
      dims: 128,
      distance: 'IP',
      algorithm: 'FLAT',
      fields: [{ type: 'TAG', name: 'tags', separator: '|' }],
    });
    assert.deepEqual(commandsNamed(server, 'FT.CREATE'), [
      [
        'FT.CREATE',
        'app:movies',
        'ON',
        'HASH',
        'PREFIX',
        '1',
        'app:movie:',
        'SCHEMA',
        'embedding',
        'VECTOR',
        'HNSW',
        '6',
        'TYPE',
        'FLOAT32',
        'DIM',
        '3',
        'DISTANCE_METRIC',
        'COSINE',
        'genre',
        'TAG',
        'year',
        'NUMERIC',
        'title',
        'TEXT',
        'SORTABLE',
      ],
      [
        'FT.CREATE',
        'app:docs',
        'ON',
        'HASH',
        'PREFIX',
        '1',
        'app:doc:',
        'SCHEMA',
        'v',
        'VECTOR',
        'FLAT',
        '6',
        'TYPE',
        'FLOAT32',
        'DIM',
        '128',
        'DISTANCE_METRIC',
        'IP',
        'tags',
        'TAG',
        'SEPARATOR',
        '|',
      ],
    ]);
  },
};

const dropIndex: UnitCase = {
  id: 'search/drop-index-command',
  group: 'search',
  name: 'dropIndex sends FT.DROPINDEX with the prefixed name, and DD only with deleteDocuments',
  tier: 'unit',
  transports: ['resp'],
  requires: ['search', 'binary'],
  async run(ctx) {
    const { server, redis } = await searchScenario(ctx);
    await redis.dropIndex('movies');
    await redis.dropIndex(movies, { deleteDocuments: true });
    assert.deepEqual(commandsNamed(server, 'FT.DROPINDEX'), [
      ['FT.DROPINDEX', 'app:movies'],
      ['FT.DROPINDEX', 'app:movies', 'DD'],
    ]);
  },
};

const upsertDocument: UnitCase = {
  id: 'search/upsert-vector-bytes',
  group: 'search',
  name: 'upsertVectorDocument stores the vector as FLOAT32 little-endian bytes, byte for byte, beside its fields',
  tier: 'unit',
  transports: ['resp'],
  requires: ['binary'],
  async run(ctx) {
    const { server, redis } = await searchScenario(ctx);
    // 1.0003067255020142 is 0d 0a 80 3f: a CR LF inside the bytes, which only a binary-safe argument survives.
    const vector = [1, -2.5, 1.0003067255020142];
    assert.equal(
      await redis.upsertVectorDocument(movies, 'movie:1', {
        vector,
        fields: { genre: 'sci-fi', year: 1999 },
      }),
      3,
    );
    const [hset] = commandsNamed(server, 'HSET');
    assert.deepEqual(
      [hset![0], hset![1], hset![2], ...hset!.slice(4)],
      ['HSET', 'app:movie:1', 'embedding', 'genre', 'sci-fi', 'year', '1999'],
    );
    assert.deepEqual(rawArgAfter(server, 'HSET', 'embedding'), encodeVector(vector, 3), 'the vector bytes');
    assert.deepEqual(
      [...encodeVector([1], 1)],
      [0x00, 0x00, 0x80, 0x3f],
      'FLOAT32 little-endian (1.0 is 00 00 80 3f)',
    );
  },
};

const knnSearch: UnitCase = {
  id: 'search/knn-search-reply',
  group: 'search',
  name: 'vectorSearch sends KNN with the vector as a $vec PARAMS blob, DIALECT 2, and decodes the RESP2 reply closest first',
  tier: 'unit',
  transports: ['resp'],
  requires: ['search', 'binary'],
  async run(ctx) {
    const { server, redis } = await searchScenario(ctx, () =>
      knnReply([
        ['app:movie:2', ['__embedding_score', '0.183503031731', 'title', 'Alien', 'year', '1979']],
        ['app:movie:1', ['__embedding_score', '5.96046447754e-08', 'title', 'The Matrix', 'year', '1999']],
      ]),
    );
    const query = Float32Array.from([0.1, 0.2, 0.3]);
    const hits = await redis.vectorSearch(movies, query, { k: 2, returnFields: ['title', 'year'] });
    assert.deepEqual(hits, [
      { key: 'movie:1', score: 5.96046447754e-8, fields: { title: 'The Matrix', year: '1999' } },
      { key: 'movie:2', score: 0.183503031731, fields: { title: 'Alien', year: '1979' } },
    ]);
    const [search] = commandsNamed(server, 'FT.SEARCH');
    assert.deepEqual(search!.slice(0, search!.indexOf('vec') + 1), [
      'FT.SEARCH',
      'app:movies',
      '*=>[KNN $k @embedding $vec]',
      'RETURN',
      '3',
      'title',
      'year',
      '__embedding_score',
      'SORTBY',
      '__embedding_score',
      'ASC',
      'LIMIT',
      '0',
      '2',
      'PARAMS',
      '4',
      'k',
      '2',
      'vec',
    ]);
    assert.deepEqual(search!.slice(search!.indexOf('vec') + 2), ['DIALECT', '2']);
    assert.deepEqual(rawArgAfter(server, 'FT.SEARCH', 'vec'), encodeVector(query, 3), 'the $vec blob');
  },
};

const INJECTION = 'sci-fi} | @title:(x';

const filterInjection: UnitCase = {
  id: 'search/filter-injection-escaped',
  group: 'search',
  name: 'filter values arrive escaped inside the one query argument: a TAG value cannot close its braces or name a field',
  tier: 'unit',
  transports: ['resp'],
  requires: ['search', 'binary'],
  async run(ctx) {
    const { server, redis } = await searchScenario(ctx);
    const hits = await redis.vectorSearch(movies, [1, 0, 0], {
      k: 3,
      filter: {
        tag: { field: 'genre', anyOf: [INJECTION, 'drama'] },
        numeric: { field: 'year', min: 1990 },
        text: { field: 'title', matches: 'matrix) | @genre:{x' },
      },
    });
    assert.deepEqual(hits, []);
    const received = server.received.find((item) => item.argv[0] === 'FT.SEARCH');
    assert.ok(received, 'FT.SEARCH arrived');
    assert.deepEqual(
      new Uint8Array(received.raw[2]!),
      utf8(
        '(@genre:{sci\\-fi\\}\\ \\|\\ \\@title\\:\\(x | drama} @year:[$n0 +inf] ' +
          '@title:(matrix\\) \\| \\@genre\\:\\{x))=>[KNN $k @embedding $vec]',
      ),
      'the query argument, byte for byte',
    );
    const argv = received.argv;
    assert.deepEqual(argv.slice(argv.indexOf('PARAMS'), argv.indexOf('vec')), [
      'PARAMS',
      '6',
      'k',
      '3',
      'n0',
      '1990',
    ]);
    assert.equal(argv.length, 22, 'FT.SEARCH has exactly its 22 arguments');
  },
};

const missingModule: UnitCase = {
  id: 'search/missing-module-capability-error',
  group: 'search',
  name: 'without the search module (FT._LIST unknown), search calls reject with RedisCapabilityError; detection runs once',
  tier: 'unit',
  async run(ctx) {
    // The scripted server's defaults answer FT._LIST (and any FT.*) with `ERR unknown command`, as Redis 7 does.
    const { server, driver } = await scenario(ctx, () => undefined);
    const declared = driver.capabilities.search;
    if (declared === true) ctx.skip('the driver declares search: true, so there is nothing to detect');
    const redis = new RedisService(driver, { keyPrefix: PREFIX });
    for (const attempt of [
      () => redis.vectorSearch(movies, [1, 0, 0], { k: 1 }),
      () => redis.createVectorIndex(movies),
      () => redis.dropIndex('movies'),
    ]) {
      const error = await rejectsWithin(attempt(), RedisCapabilityError, PROMPT_FAILURE_MS, 'a search call');
      assert.equal(error.capability, 'search');
    }
    assert.equal(await redis.searchAvailable(), false);
    const searchCommands = server.commands.filter((command) => command[0]?.startsWith('FT.'));
    assert.deepEqual(
      searchCommands,
      declared === 'detect' ? [['FT._LIST']] : [],
      'FT._LIST once when detecting, nothing else',
    );
  },
};

/** Vector search against scripted RediSearch replies: the commands built and the replies decoded. */
export const searchCases: readonly UnitCase[] = [
  createIndex,
  dropIndex,
  upsertDocument,
  knnSearch,
  filterInjection,
  missingModule,
];
