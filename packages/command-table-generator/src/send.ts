import type { RedisReply } from '@redis-service/core';

/** Sends one command to the server the metadata is read from and resolves with its normalized reply. */
export type Send = (command: readonly string[]) => Promise<RedisReply>;
