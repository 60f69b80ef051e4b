"""The shared cache on Redis keeps one client a process (portal/redis_cache.py) and still behaves as Django's."""

import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from portal.redis_cache import KeptClientRedisCache
from portal.tests.app_servers import redis_url

URL = redis_url()
pytestmark = pytest.mark.skipif(URL is None, reason="no Redis server answers at 127.0.0.1:6379")


@pytest.fixture
def cache():
    cache = KeptClientRedisCache(URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["generation", "page", "empty"])  # not clear(): that would empty the whole Redis database


def test_the_client_is_made_once_and_kept():
    cache = KeptClientRedisCache(URL, {})
    plain = RedisCache(URL, {})

    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    assert plain._cache.get_client() is not plain._cache.get_client()  # what the kept client saves


def test_values_round_trip_through_the_kept_client(cache):
    cache.set("generation", 7)
    cache.set_many({"page": {"title": "Children in Care"}, "empty": ""})

    assert cache.incr("generation") == 8
    assert cache.get_many(["page", "empty", "missing"]) == {"page": {"title": "Children in Care"}, "empty": ""}
    assert cache.add("page", "other") is False
    cache.delete("page")
    assert cache.get("page", "gone") == "gone"
