/**
 * The least-recently-used cache the DynamoDB client keeps discovered
 * endpoints in (@aws-sdk/endpoint-cache), in place of mnemonist's (about
 * 7 kB with the iterator library it brings, in every bundle that talks to
 * DynamoDB): the bundler puts this module in place of `mnemonist/lru-cache`
 * for that importer only (infra/constructs/bundling.ts). The same methods
 * the endpoint cache calls, on a Map, whose order of insertion is the order
 * of use: `get` and `set` make a key the most recent, `peek` and `has` do
 * not, and a `set` past the capacity drops the least recent. Endpoint
 * discovery is off unless configured, so in practice it stays empty. GET /cases/{caseId} keeps the answers it
 * has built in one too (handlers/api/getCase.ts).
 */
export default class LRUCache<K, V> {
  private readonly items = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError('an LRU cache needs a capacity above 0');
  }

  get size(): number {
    return this.items.size;
  }

  has(key: K): boolean {
    return this.items.has(key);
  }

  peek(key: K): V | undefined {
    return this.items.get(key);
  }

  get(key: K): V | undefined {
    if (!this.items.has(key)) return undefined;
    const value = this.items.get(key) as V;
    this.items.delete(key);
    this.items.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.items.delete(key);
    this.items.set(key, value);
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value as K);
    return this;
  }

  clear(): void {
    this.items.clear();
  }
}
