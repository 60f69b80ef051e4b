"""Django's Redis cache, with each worker keeping its Redis clients rather than making one for every call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` around the (kept) connection pool on every
cache call; redis-py's constructor fills a table of about 170 response callbacks each time. At ten to fifteen
cache calls a request that was about 80 µs of CPU a call, a millisecond or more of every signed-in request
(bench/results.md). A `redis.Redis` is safe to share between threads (each command takes a connection from the
pool) and its pool reconnects after a fork, so one client per pool is kept for the life of the process.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id of a pool in self._pools (kept for the process) -> its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
