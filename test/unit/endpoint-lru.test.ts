import { EndpointCache } from '@aws-sdk/endpoint-cache';
import { describe, expect, it } from 'vitest';
import LRUCache from '../../functions/adapters/clients/endpointLru.js';

describe('the endpoint cache LRU (in place of mnemonist/lru-cache in a bundle)', () => {
  it('drops the least recently used key past its capacity; get and set make a key recent, peek and has do not', () => {
    const lru = new LRUCache<string, number>(2);
    lru.set('a', 1).set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3); // b goes
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
    expect(lru.peek('a')).toBe(1); // peek leaves a the least recent
    lru.set('c', 4).set('d', 5); // c refreshed; a goes
    expect([lru.has('a'), lru.peek('c'), lru.peek('d'), lru.size]).toEqual([false, 4, 5, 2]);
    expect(lru.get('missing')).toBeUndefined();
    lru.clear();
    expect(lru.size).toBe(0);
    expect(() => new LRUCache(0)).toThrow();
  });

  it('serves the SDK endpoint cache as mnemonist does: endpoints until they expire, none once deleted', () => {
    // The SDK's own EndpointCache, given this LRU as the bundle gives it (infra/constructs/bundling.ts).
    const cache = new EndpointCache(2);
    (cache as unknown as { cache: unknown }).cache = new LRUCache(2);
    cache.set('k', [{ Address: 'dynamodb.eu-west-2.amazonaws.com', CachePeriodInMinutes: 5 }]);
    expect(cache.getEndpoint('k')).toBe('dynamodb.eu-west-2.amazonaws.com');
    cache.set('old', [{ Address: 'gone', CachePeriodInMinutes: -1 }]);
    expect(cache.get('old')).toBeUndefined();
    cache.delete('k');
    expect(cache.has('k')).toBe(false);
  });
});
