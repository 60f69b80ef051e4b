"""Django's Redis cache, with one Redis client kept per connection pool instead of one made per command.

Django's RedisCacheClient makes a new `redis.Redis` for every get, set or delete: each builds its table of
some 200 reply handlers, about two thirds of the CPU of a cache read. A sign-in makes about fifteen. A client
holds no state of its own between commands (the connections live in the pool, which Django keeps already),
and redis-py's clients are safe to share between threads, so one per pool is enough.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    """CACHES backend "portal.cache.RedisCache" (REDIS_URL set): Django's RedisCache, its clients kept."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
