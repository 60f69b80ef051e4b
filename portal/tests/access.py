"""The vocabulary of the role × URL matrix (portal/tests/test_url_matrix.py).

Each app lists its URLs in `<app>/tests/url_expectations.py` as `EXPECTATIONS`, a list of `Expect`.
A URL is a string, or a function of the `world` (personas plus the objects each app's `build_world`
made) for URLs that name an object. `allowed` lists the personas that get the page (200, or a
redirect within their own journey); everyone else must be refused: 403, 404, or a redirect to sign-in.

Every expectation that refuses anyone states how, with `not_found` (possibly empty; the matrix fails an
expectation without it): a 404 for those in `not_found` (the object is outside their scope, so its existence
must not leak), a 405 for those in `method_not_allowed` (a POST-only URL), and a 403 for every other refused
persona (inside their scope, or a screen with no object, but not theirs; Wagtail's admin answers it with a
redirect to its dashboard). Only an `anonymous_ok` URL, which refuses nobody, leaves it unset.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = ("staff", "governor", "dt", "dt_castle", "head", "admin", "dpo", "nobody", "delegate")
EVERYONE = frozenset(PERSONAS)
MFA_PERSONAS = frozenset({"dt", "dt_castle", "head", "admin", "dpo", "delegate"})  # delegate: by their delegation


@dataclass(frozen=True)
class Expect:
    route: str  # the route as Django's resolver spells it, e.g. "policies/<int:pk>/receipt/"
    url: str | Callable[[dict], str]
    allowed: frozenset = field(default_factory=frozenset)
    anonymous_ok: bool = False  # answers without signing in (sign-in, health)
    allowed_status: tuple = (200,)
    note: str = ""
    not_found: frozenset | None = None
    method_not_allowed: frozenset = frozenset()

    def resolve(self, world) -> str:
        return self.url(world) if callable(self.url) else self.url

    def refusal_for(self, name: str) -> int | None:
        """The status `name` must be refused with (403, 404 or 405); None only while `not_found` is unstated."""
        if self.not_found is None:
            return None
        if name in self.not_found:
            return 404
        if name in self.method_not_allowed:
            return 405
        return 403


@dataclass(frozen=True)
class Covered:
    """A third-party tree covered by sample URLs elsewhere in the matrix (e.g. allauth's screens)."""

    prefix: str
    reason: str
    except_prefixes: tuple = ()  # routes under these must each have an Expect

    def covers(self, route: str, own_prefixes) -> bool:
        return route.startswith(self.prefix) and not route.startswith(tuple(own_prefixes))
