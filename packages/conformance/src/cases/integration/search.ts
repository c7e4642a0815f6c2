import assert from 'node:assert/strict';
import { RedisCapabilityError, type VectorIndexSpec } from '@redis-service/core';
import type { IntegrationCase, IntegrationContext } from '../../case.js';
import { defineCases } from './support/define-cases.js';

const NO_MODULE = 'the server has no search module (FT._LIST: unknown command)';

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
    { type: 'TEXT', name: 'title' },
  ],
};

const documents = [
  { key: 'movie:1', vector: [1, 0, 0], genre: 'sci-fi', year: 1999, title: 'The Matrix' },
  { key: 'movie:2', vector: [0.9, 0.1, 0], genre: 'sci-fi', year: 1979, title: 'Alien' },
  { key: 'movie:3', vector: [0, 1, 0], genre: 'drama', year: 1994, title: 'The Shawshank Redemption' },
  { key: 'movie:4', vector: [-1, 0, 0], genre: 'sci-fi} | @title:(x', year: 2001, title: 'Odd Tag' },
] as const;

/** Creates the index with this case's prefix, drops it (and its documents) after the case, and stores the documents. */
async function seed(ctx: IntegrationContext): Promise<void> {
  const { redis } = ctx;
  if (!(await redis.searchAvailable())) ctx.skip(NO_MODULE);
  await redis.createVectorIndex(movies);
  ctx.defer(() => redis.dropIndex(movies, { deleteDocuments: true }));
  for (const { key, vector, genre, year, title } of documents) {
    await redis.upsertVectorDocument(movies, key, { vector, fields: { genre, year, title } });
  }
}

/** Vector search against a server with the search module; skipped with the reason when it has none. */
export const searchCases: IntegrationCase[] = defineCases('search', [
  {
    slug: 'knn-closest-first',
    name: 'vectorSearch returns the k nearest documents closest first, keys without the prefix, with their fields',
    requires: ['search', 'binary'],
    async run(ctx) {
      await seed(ctx);
      const hits = await ctx.redis.vectorSearch(movies, [1, 0, 0], { k: 3, returnFields: ['title', 'year'] });
      assert.deepEqual(
        hits.map((hit) => hit.key),
        ['movie:1', 'movie:2', 'movie:3'],
      );
      assert.deepEqual(hits[0]!.fields, { title: 'The Matrix', year: '1999' });
      assert.ok(
        Math.abs(hits[0]!.score) < 1e-6,
        `identical vectors are at distance ~0, got ${hits[0]!.score}`,
      );
      assert.ok(hits[0]!.score <= hits[1]!.score && hits[1]!.score <= hits[2]!.score, 'sorted by distance');
    },
  },
  {
    slug: 'filters-and-injection',
    name: 'TAG, NUMERIC and TEXT filters narrow the search, and a TAG value full of query syntax matches only itself',
    requires: ['search', 'binary'],
    async run(ctx) {
      await seed(ctx);
      const { redis } = ctx;
      const sciFi = await redis.vectorSearch(movies, [0, 1, 0], {
        k: 10,
        filter: { tag: { field: 'genre', anyOf: ['sci-fi'] } },
      });
      assert.deepEqual(sciFi.map((hit) => hit.key).sort(), ['movie:1', 'movie:2']);
      const recent = await redis.vectorSearch(movies, [1, 0, 0], {
        k: 10,
        filter: { numeric: { field: 'year', min: 1990, max: 2000 } },
      });
      assert.deepEqual(
        recent.map((hit) => hit.key),
        ['movie:1', 'movie:3'],
      );
      const titled = await redis.vectorSearch(movies, [1, 0, 0], {
        k: 10,
        filter: { text: { field: 'title', matches: 'matrix' }, tag: { field: 'genre', anyOf: ['sci-fi'] } },
      });
      assert.deepEqual(
        titled.map((hit) => hit.key),
        ['movie:1'],
      );
      const injected = await redis.vectorSearch(movies, [1, 0, 0], {
        k: 10,
        filter: { tag: { field: 'genre', anyOf: ['sci-fi} | @title:(x'] } },
        returnFields: ['genre'],
      });
      assert.deepEqual(
        injected.map((hit) => [hit.key, hit.fields]),
        [['movie:4', { genre: 'sci-fi} | @title:(x' }]],
      );
    },
  },
  {
    slug: 'capability-error-without-module',
    name: 'without the search module, search calls reject with RedisCapabilityError and send nothing else',
    async run(ctx) {
      const { redis } = ctx;
      if (await redis.searchAvailable()) ctx.skip('the server has the search module');
      for (const attempt of [
        () => redis.vectorSearch(movies, [1, 0, 0], { k: 1 }),
        () => redis.createVectorIndex(movies),
      ]) {
        await assert.rejects(attempt(), (error: unknown) => {
          assert.ok(
            error instanceof RedisCapabilityError,
            `expected RedisCapabilityError, got ${String(error)}`,
          );
          assert.equal(error.capability, 'search');
          return true;
        });
      }
    },
  },
]);
