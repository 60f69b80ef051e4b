"""The Redis cache keeps its clients (portal/cache.py) instead of making one per command."""

import pytest

from portal.cache import RedisCache
from portal.tests.app_servers import redis_url


def test_one_redis_client_serves_every_command_to_a_server():
    cache = RedisCache("redis://127.0.0.1:6379/0", {})  # making a client connects to nothing
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client("any key") is client
    assert cache._cache.get_client(write=True) is client


def test_with_replicas_reads_and_writes_each_keep_their_own_client():
    cache = RedisCache("redis://127.0.0.1:6379/0,redis://127.0.0.1:6380/0", {})
    writer, reader = cache._cache.get_client(write=True), cache._cache.get_client()
    assert writer is not reader
    assert cache._cache.get_client(write=True) is writer and cache._cache.get_client() is reader
    assert writer.connection_pool.connection_kwargs["port"] == 6379
    assert reader.connection_pool.connection_kwargs["port"] == 6380


@pytest.mark.skipif(redis_url() is None, reason="no Redis server answers at 127.0.0.1:6379")
def test_values_go_to_redis_and_come_back_through_the_kept_client():
    cache = RedisCache(redis_url(), {"KEY_PREFIX": "portal-cache-test"})
    cache.set("answer", {"kept": True}, 30)
    assert cache.add("answer", "not this", 30) is False
    assert cache.get("answer") == {"kept": True}
    assert cache.get_many(["answer", "absent"]) == {"answer": {"kept": True}}
    cache.delete("answer")
    assert cache.get("answer") is None
