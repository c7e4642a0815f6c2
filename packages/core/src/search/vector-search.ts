import { asInteger } from '../commands/replies.js';
import type { ServiceCore } from '../service/service-core.js';
import { createIndexCommand, type DropIndexOptions, dropIndexCommand } from './index-commands.js';
import {
  decodeKnnReply,
  knnSearchCommand,
  type VectorSearchHit,
  type VectorSearchOptions,
} from './knn-search.js';
import { SearchSupport } from './search-support.js';
import type { VectorInput } from './vector-bytes.js';
import { upsertDocumentCommand, type VectorDocument } from './vector-document.js';
import type { VectorIndexSpec } from './vector-index.js';

/**
 * Vector search for one service: builds the FT.* and HSET commands, checks capabilities before
 * anything is sent (`binary` for vector bytes, `search` declared or detected once) and decodes
 * the replies. Every method validates its input first, so bad input never costs a round trip.
 */
export class VectorSearch {
  readonly #core: ServiceCore;
  readonly #support: SearchSupport;

  /** @param core the service's shared core (driver, options, executor) */
  constructor(core: ServiceCore) {
    this.#core = core;
    this.#support = new SearchSupport(core);
  }

  /** Whether the server has the search module (detected once when the driver says `'detect'`). */
  available(): Promise<boolean> {
    return this.#support.available();
  }

  /** `FT.CREATE` of `spec` (see `RedisService.createVectorIndex`). */
  async createIndex(spec: VectorIndexSpec): Promise<void> {
    const command = createIndexCommand(spec, this.#prefix);
    await this.#support.require('creating a vector index');
    await this.#core.send(command, false);
  }

  /** `FT.DROPINDEX` (see `RedisService.dropIndex`). */
  async dropIndex(index: VectorIndexSpec | string, options?: DropIndexOptions): Promise<void> {
    const command = dropIndexCommand(typeof index === 'string' ? index : index.name, this.#prefix, options);
    await this.#support.require('dropping a search index');
    await this.#core.send(command, false);
  }

  /** `HSET` of a document with its vector bytes (see `RedisService.upsertVectorDocument`). */
  async upsert(index: VectorIndexSpec, key: string, document: VectorDocument): Promise<number> {
    const command = upsertDocumentCommand(index, key, document, this.#prefix);
    // Plain HSET: storing needs binary-safe values, not the search module.
    this.#core.require('binary', 'storing a vector');
    return this.#core.send(command, false, undefined, asInteger);
  }

  /** A KNN `FT.SEARCH`, decoded closest first (see `RedisService.vectorSearch`). */
  async search(
    index: VectorIndexSpec | string,
    vector: VectorInput,
    options: VectorSearchOptions,
  ): Promise<VectorSearchHit[]> {
    const { command, scoreField } = knnSearchCommand(index, vector, options, this.#prefix);
    // Search first: without the module, the missing capability that matters is `search`.
    await this.#support.require('vector search');
    this.#core.require('binary', 'sending a query vector');
    const prefix = this.#prefix;
    return this.#core.send(command, false, undefined, (reply) => decodeKnnReply(reply, scoreField, prefix));
  }

  get #prefix(): string {
    return this.#core.options.keyPrefix;
  }
}
