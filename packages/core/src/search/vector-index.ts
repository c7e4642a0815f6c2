/** How RediSearch measures the distance between two vectors (smaller is closer for all three). */
export type VectorDistance = 'COSINE' | 'L2' | 'IP';

/** How RediSearch indexes vectors: exact brute force (`FLAT`) or an approximate graph (`HNSW`). */
export type VectorAlgorithm = 'FLAT' | 'HNSW';

/** A TAG field: exact-match labels, several per document separated by `separator` (default `,`). */
export interface TagFieldSpec {
  readonly type: 'TAG';
  readonly name: string;
  /** One character that separates several tags in one value. Default `,`. */
  readonly separator?: string;
}

/** A NUMERIC field, filtered by range. */
export interface NumericFieldSpec {
  readonly type: 'NUMERIC';
  readonly name: string;
  readonly sortable?: boolean;
}

/** A TEXT field, filtered by full-text terms. */
export interface TextFieldSpec {
  readonly type: 'TEXT';
  readonly name: string;
  readonly sortable?: boolean;
}

/** A non-vector field of a vector index. */
export type IndexFieldSpec = TagFieldSpec | NumericFieldSpec | TextFieldSpec;

/**
 * A vector index over hashes. `name` and `prefix` are given without the service's key prefix:
 * the service prepends it to both (so `FT.SEARCH` hits map back to the service's keys, and two
 * services with different prefixes never share an index).
 */
export interface VectorIndexSpec {
  /** The index name (the service's key prefix is prepended). */
  readonly name: string;
  /** Documents whose key starts with this are indexed (the service's key prefix is prepended). */
  readonly prefix: string;
  /** The hash field holding the vector (FLOAT32 little-endian bytes). */
  readonly field: string;
  /** How many numbers each vector has. */
  readonly dims: number;
  readonly distance: VectorDistance;
  readonly algorithm: VectorAlgorithm;
  /** TAG, NUMERIC and TEXT fields to filter on. */
  readonly fields?: readonly IndexFieldSpec[];
}
