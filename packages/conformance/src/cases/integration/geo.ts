import assert from 'node:assert/strict';
import type { RedisService } from '@redis-service/core';
import type { IntegrationCase } from '../../case.js';
import { defineCases } from './support/define-cases.js';

/** Palermo and Catania, the cities of Redis's own GEO examples. */
async function sicily(redis: RedisService): Promise<void> {
  await redis.geoadd('g', [
    { member: 'Palermo', longitude: 13.361389, latitude: 38.115556 },
    { member: 'Catania', longitude: 15.087269, latitude: 37.502669 },
  ]);
}

function near(actual: number | undefined, expected: number, tolerance: number, what: string): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}

/** Cases on geo sets. */
export const geoCases: IntegrationCase[] = defineCases('geo', [
  {
    slug: 'geoadd-and-geodist',
    name: 'geoadd adds, updates with ch and honours nx/xx; geodist measures in each unit and is null for a missing member',
    async run({ redis }) {
      await sicily(redis);
      assert.equal(
        await redis.geoadd(
          'g',
          { member: 'Palermo', longitude: 13.361389, latitude: 38.115556 },
          { nx: true },
        ),
        0,
      );
      assert.equal(
        await redis.geoadd('g', { member: 'Rome', longitude: 12.496366, latitude: 41.902782 }, { xx: true }),
        0,
        'xx does not add',
      );
      assert.equal(
        await redis.geoadd('g', { member: 'Catania', longitude: 15.087269, latitude: 37.6 }, { ch: true }),
        1,
        'ch counts a moved member',
      );
      await redis.geoadd('g', { member: 'Catania', longitude: 15.087269, latitude: 37.502669 });
      near((await redis.geodist('g', 'Palermo', 'Catania'))!, 166274.1516, 0.01, 'meters');
      near((await redis.geodist('g', 'Palermo', 'Catania', 'km'))!, 166.2742, 0.0001, 'km');
      near((await redis.geodist('g', 'Palermo', 'Catania', 'mi'))!, 103.3182, 0.0001, 'miles');
      assert.equal(await redis.geodist('g', 'Palermo', 'Rome'), null);
      assert.equal(await redis.zcard('g'), 2, 'a geo set is a sorted set');
    },
  },
  {
    slug: 'geosearch-typed-hits',
    name: 'geosearch by radius or box, from a point or a member, sorted and counted, gives typed hits with what was asked',
    async run({ redis }) {
      await sicily(redis);
      const byRadius = await redis.geosearch('g', {
        from: { longitude: 15, latitude: 37 },
        by: { radius: 200, unit: 'km' },
        order: 'asc',
        withCoord: true,
        withDist: true,
        withHash: true,
      });
      assert.deepEqual(
        byRadius.map((hit) => hit.member),
        ['Catania', 'Palermo'],
      );
      const [catania, palermo] = byRadius;
      near(catania?.distance, 56.4413, 0.0001, 'distance of Catania');
      near(palermo?.distance, 190.4424, 0.0001, 'distance of Palermo');
      near(palermo?.coordinates.longitude, 13.361389, 0.00001, 'longitude of Palermo');
      near(palermo?.coordinates.latitude, 38.115556, 0.00001, 'latitude of Palermo');
      assert.equal(palermo?.hash, 3479099956230698);
      const plain = await redis.geosearch('g', {
        from: { longitude: 15, latitude: 37 },
        by: { radius: 100, unit: 'km' },
      });
      assert.deepEqual(plain, [{ member: 'Catania' }]);
      const desc = await redis.geosearch('g', {
        from: { member: 'Palermo' },
        by: { width: 400, height: 400, unit: 'km' },
        order: 'desc',
        withDist: true,
      });
      assert.deepEqual(
        desc.map((hit) => hit.member),
        ['Catania', 'Palermo'],
      );
      near(desc[1]?.distance, 0, 0.0001, 'the origin member is at distance 0');
      const counted = await redis.geosearch('g', {
        from: { member: 'Palermo' },
        by: { radius: 500, unit: 'km' },
        order: 'asc',
        count: 1,
      });
      assert.deepEqual(counted, [{ member: 'Palermo' }]);
      const any = await redis.geosearch('g', {
        from: { member: 'Palermo' },
        by: { radius: 500, unit: 'km' },
        count: 1,
        any: true,
      });
      assert.equal(any.length, 1);
      assert.deepEqual(
        await redis.geosearch('missing', {
          from: { longitude: 0, latitude: 0 },
          by: { radius: 1, unit: 'm' },
        }),
        [],
      );
    },
  },
]);
