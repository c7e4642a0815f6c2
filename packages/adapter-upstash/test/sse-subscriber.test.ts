import { type DriverMessage, RedisConnectionError, RedisReplyError } from '@redis-service/core';
import { describe, expect, it } from 'vitest';
import { UpstashSseSubscriber } from '../src/index.js';

const encoder = new TextEncoder();

/** A fake `fetch` whose event streams the test writes to (one per request). */
function fakeService() {
  const requests: { url: string; headers: Headers; signal: AbortSignal | undefined }[] = [];
  const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
  let status = 200;
  const fetcher: typeof fetch = async (input, init) => {
    requests.push({
      url: String(input),
      headers: new Headers(init?.headers),
      signal: init?.signal ?? undefined,
    });
    if (status !== 200) return new Response(JSON.stringify({ error: 'ERR refused' }), { status });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        streams.push(controller);
        init?.signal?.addEventListener('abort', () => {
          try {
            controller.error(new DOMException('aborted', 'AbortError'));
          } catch {
            // already closed
          }
        });
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  return {
    fetcher,
    requests,
    streams,
    setStatus: (value: number) => {
      status = value;
    },
    write: (index: number, text: string) => streams[index]!.enqueue(encoder.encode(text)),
  };
}

/** A subscriber over `service` with a confirmed subscription to channel `a`; `got` collects its messages. */
async function confirmedOn(service: ReturnType<typeof fakeService>, idleTimeoutMs: number) {
  const subscriber = new UpstashSseSubscriber({
    url: 'http://upstash.test',
    token: 't',
    connectTimeoutMs: 1000,
    idleTimeoutMs,
    fetch: service.fetcher,
  });
  const got: string[] = [];
  const subscribing = subscriber.subscribe({ channels: ['a'] }, (message) => got.push(message.message));
  await until(() => service.streams.length === 1);
  service.write(0, 'data: subscribe,a,1\n\n');
  await subscribing;
  return { subscriber, got };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe('UpstashSseSubscriber', () => {
  it('posts to /subscribe/<channel> with the token, resolves on confirmation and parses messages', async () => {
    const service = fakeService();
    const subscriber = new UpstashSseSubscriber({
      url: 'http://upstash.test/',
      token: 'secret',
      connectTimeoutMs: 1000,
      fetch: service.fetcher,
    });
    const got: DriverMessage[] = [];
    const subscribing = subscriber.subscribe({ channels: ['a b'] }, (message) => got.push(message));
    await until(() => service.streams.length === 1);
    expect(service.requests[0]!.url).toBe('http://upstash.test/subscribe/a%20b');
    expect(service.requests[0]!.headers.get('authorization')).toBe('Bearer secret');
    // Split mid-line and mid-event: the reader must join chunks before it dispatches.
    service.write(0, 'data: subscribe,a b,1\n');
    service.write(0, '\ndata: message,a b,hel');
    service.write(0, 'lo, world\n\ndata: message,a b,line 1\ndata: line 2\r\n\r\n');
    const subscription = await subscribing;
    await until(() => got.length === 2);
    expect(got).toEqual([
      { channel: 'a b', message: 'hello, world' },
      { channel: 'a b', message: 'line 1\nline 2' },
    ]);
    await subscription.unsubscribe();
    subscriber.close();
  });

  it('parses pattern messages and opens a dropped stream again', async () => {
    const service = fakeService();
    const subscriber = new UpstashSseSubscriber({
      url: 'http://upstash.test',
      token: 't',
      connectTimeoutMs: 1000,
      fetch: service.fetcher,
    });
    const got: DriverMessage[] = [];
    const subscribing = subscriber.subscribe({ patterns: ['news.*'] }, (message) => got.push(message));
    await until(() => service.streams.length === 1);
    expect(service.requests[0]!.url).toBe('http://upstash.test/psubscribe/news.*');
    service.write(0, 'data: psubscribe,news.*,1\n\n');
    await subscribing;
    service.write(0, 'data: pmessage,news.*,news.a,x,y\n\n');
    service.streams[0]!.close();
    await until(() => service.streams.length === 2);
    service.write(1, 'data: psubscribe,news.*,1\n\ndata: pmessage,news.*,news.b,z\n\n');
    await until(() => got.length === 2);
    expect(got).toEqual([
      { channel: 'news.a', pattern: 'news.*', message: 'x,y' },
      { channel: 'news.b', pattern: 'news.*', message: 'z' },
    ]);
    subscriber.close();
  });

  it('rejects a first connection the service refuses', async () => {
    const service = fakeService();
    const subscriber = new UpstashSseSubscriber({
      url: 'http://upstash.test',
      token: 't',
      connectTimeoutMs: 1000,
      fetch: service.fetcher,
    });
    service.setStatus(401);
    await expect(subscriber.subscribe({ channels: ['a'] }, () => {})).rejects.toBeInstanceOf(
      RedisConnectionError,
    );
    service.setStatus(400);
    await expect(subscriber.subscribe({ channels: ['a'] }, () => {})).rejects.toBeInstanceOf(RedisReplyError);
    subscriber.close();
  });

  it('replaces a silent stream make-before-break: delivery moves to the new one, the silent one is aborted', async () => {
    const service = fakeService();
    const { subscriber, got } = await confirmedOn(service, 60);
    // Silent for idleTimeoutMs: a second stream is opened, the first one still delivers meanwhile.
    await until(() => service.streams.length === 2);
    service.write(0, 'data: message,a,on the silent one\n\n');
    await until(() => got.length === 1);
    expect(service.requests[0]!.signal?.aborted).toBe(false);
    service.write(1, 'data: subscribe,a,1\n\n');
    await until(() => service.requests[0]!.signal?.aborted === true);
    service.write(1, 'data: message,a,on the new one\n\n');
    await until(() => got.length === 2);
    expect(got).toEqual(['on the silent one', 'on the new one']);
    subscriber.close();
  });

  it('keeps a quiet stream that carries keep-alive comments', async () => {
    const service = fakeService();
    const { subscriber } = await confirmedOn(service, 150);
    for (let i = 0; i < 20; i++) {
      service.write(0, ': keep-alive\n\n');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(service.streams.length).toBe(1);
    subscriber.close();
  });

  it('keeps the silent stream when its replacement is refused, and tries again later', async () => {
    const service = fakeService();
    const { subscriber, got } = await confirmedOn(service, 50);
    service.setStatus(503);
    await until(() => service.requests.length >= 3);
    service.write(0, 'data: message,a,still here\n\n');
    await until(() => got.length === 1);
    expect(service.requests[0]!.signal?.aborted).toBe(false);
    subscriber.close();
  });
});
