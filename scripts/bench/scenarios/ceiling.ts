/**
 * The physical limit: redis-benchmark's own GET/SET against the same private server, at the
 * same client counts as the sweep, without pipelining (-P 1, one command per round trip, like a
 * client with one caller per connection) and with -P 16. A C client with a connection per
 * caller and no JavaScript in the way: what the server itself can do here, which no Node
 * client reaches. The GET/SET scenarios print their rows as a fraction of it.
 */
import { spawn } from 'node:child_process';
import type { ReportScenario } from '../framework/scenario.js';
import { summarize } from '../framework/stats.js';
import { GET_SET_KEYS, GET_SET_VALUE } from './get-set-workload.js';

/** Runs redis-benchmark once and returns GET/SET ops/s of an alternating mix (SET, GET, SET, ...). */
function redisBenchmark(url: string, clients: number, pipeline: number, requests: number): Promise<number> {
  const { hostname, port } = new URL(url);
  const args = [
    '-h',
    hostname,
    '-p',
    port,
    '-c',
    String(clients),
    '-P',
    String(pipeline),
    '-n',
    String(requests),
  ];
  args.push('-r', String(GET_SET_KEYS), '-d', String(GET_SET_VALUE.length), '-t', 'set,get', '--csv');
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const rps = (test: string) => {
        const row = out.split('\n').find((line) => line.startsWith(`"${test}"`));
        return row ? Number(row.split(',')[1]?.replace(/"/g, '')) : Number.NaN;
      };
      const [set, get] = [rps('SET'), rps('GET')];
      if (code !== 0 || !(set > 0) || !(get > 0)) {
        reject(new Error(`redis-benchmark ${args.join(' ')} failed (exit ${code}): ${err || out}`));
        return;
      }
      // An alternating mix spends 1/set + 1/get seconds per pair of commands.
      resolve(2 / (1 / set + 1 / get));
    });
  });
}

export const ceilingScenario: ReportScenario = {
  kind: 'report',
  id: 'ceiling',
  title: 'ceiling: redis-benchmark GET/SET on the same server, one connection per caller',
  async run(ctx) {
    const lines: string[] = [];
    const values: Record<string, unknown> = {};
    for (const clients of ctx.options.sweep) {
      const figures: Record<string, ReturnType<typeof summarize>> = {};
      for (const pipeline of [1, 16]) {
        // Size the request count so that one run lasts about a sample of the other scenarios.
        const probe = await redisBenchmark(ctx.redisUrl, clients, pipeline, Math.max(2_000, clients * 20));
        const requests = Math.max(2_000, Math.round((probe * ctx.options.sampleMs) / 1000 / 2) * 2);
        const samples: number[] = [];
        for (let round = 0; round < ctx.options.rounds; round++) {
          samples.push(await redisBenchmark(ctx.redisUrl, clients, pipeline, requests));
        }
        figures[`P${pipeline}`] = summarize(samples);
      }
      const p1 = figures.P1!;
      const p16 = figures.P16!;
      ctx.ceilings.set(clients, { p1, p16 });
      values[String(clients)] = { p1, p16 };
      const show = (s: typeof p1) =>
        `${Math.round(s.median).toLocaleString('en-US')} [${Math.round(s.min).toLocaleString('en-US')}-${Math.round(s.max).toLocaleString('en-US')}]${s.noisy ? '!' : ''}`;
      lines.push(`-c ${String(clients).padEnd(4)} -P 1: ${show(p1).padEnd(36)} -P 16: ${show(p16)} ops/s`);
    }
    lines.push(
      `(median of ${ctx.options.rounds} runs each; SET and GET of ${GET_SET_VALUE.length}-byte values over ${GET_SET_KEYS} keys, combined as an alternating mix)`,
    );
    return { lines, values };
  },
};
