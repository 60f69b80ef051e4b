"""Each signed-in person's copy of the pages that opt in (policy and guidance pages), kept in the shared cache.

A policy page costs a dozen queries (the site, routing, view restrictions, the audience, versions, the
person's receipt) for HTML that changes only when the site's content or the person's own record does.
A copy is kept under a key made of:

- the path and query string, the person, and today's date (due dates and "overdue" turn at midnight);
- a hash of the person's CSRF secret, since the page's acknowledgement form carries a token made from it;
- the *content* generation, renewed by any save or delete of a page, a site, a view restriction, or any
  record of the policy and trust apps (versions, schools, memberships, calendars);
- the *person's* generation, renewed by their own receipts, attempts, training completions, account
  record, groups and permissions;
- for the dashboard (`SHARED_RECORD_PATHS`), which also shows other people's records: the *casework*
  generation, renewed by any casework record but the audit trail, and the *briefing* generation, renewed
  whenever the briefing report's numbers change (`training.briefing_cache.bump`).

The same two generations let trust.middleware.RequireMFAMiddleware remember, for the session, that a
person's roles need no second factor, until either generation is renewed.

A generation is renewed at the change and again after its transaction commits, so a copy rendered from
the old rows in between is never served (within one transaction, a second change renews it at once only if
the transaction read it in between: `_Renewals`; and all of them once, together, on commit). A page is served from the copy only for a GET with no pending messages, and stored only when
the page said so (`allow_personal_copy`), answered 200, set no cookie of its own and kept the CSRF secret. It is on only where every app
server shares one cache (`PERSONAL_PAGE_CACHE`, on with Redis): with a cache per process a generation
renewed in one process would not reach the others. Copies expire after `PERSONAL_PAGE_CACHE_SECONDS`.
"""

import hashlib
import secrets
import time

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

CONTENT_KEY = "personal-pages:content"
CASEWORK_KEY = "personal-pages:casework"
BRIEFING_KEY = "personal-pages:briefing"
# Apps whose records can change what any page shows to anyone.
CONTENT_APPS = {"wagtailcore", "policy", "trust", "home", "training"}
# Records that change only what their own person sees: renewing everyone's copies for each would be waste.
PERSONAL_RECORDS = {
    "policy.ReadReceipt": "user_id",
    "policy.AcknowledgementAttempt": "user_id",
    "training.TrainingCompletion": "user_id",
    "training.TrainingAttempt": "user_id",
    "casework.Delegation": "delegate_id",  # a delegation needs MFA of its delegate (trust.access.needs_mfa)
}
# Records that no page shows: Wagtail's own history (written on every acknowledgement), the case audit
# (written on every casework page read), reminder bookkeeping, and the briefing's own generation row
# (`training.briefing_cache.bump` renews BRIEFING_KEY itself).
IGNORED_RECORDS = {
    "wagtailcore.PageLogEntry",
    "wagtailcore.ModelLogEntry",
    "casework.CaseAuditEvent",
    "casework.AuditAnchor",
    "casework.TransitionDownload",
    "training.ReminderRun",
    "training.ReminderDigest",
    "training.BriefingGeneration",
}
# Pages that show other people's records as well as the person's own: the dashboard (shared PEP
# recommendations, a designated teacher's casework deadlines, the briefing's completion counts).
# Their copies are kept under the casework and briefing generations too.
SHARED_RECORD_PATHS = {"/"}

_COPY_FLAG = "_personal_copy_allowed"


def _person_key(user_id) -> str:
    return f"personal-pages:person:{user_id}"


class _Renewals:
    """The generations one transaction renewed: renewed, together (one round trip), when it commits.

    `unread` holds the generations changed in this transaction that it has not read since. Each is given its
    new value only when this transaction reads it (`_read_in_transaction`), before the read: nothing else can
    have kept a copy of the changed rows, since other connections cannot see them (what they render in
    between is the old rows, which the renewal on commit retires). An acknowledgement, which reads none, so
    makes one round trip to the cache for its changes, not three.
    """

    def __init__(self):
        self.keys = set()
        self.unread = set()
        self.done = False

    def __call__(self):
        self.done = True  # a test's capture of commit hooks runs it but leaves it in the list
        cache.set_many({key: secrets.token_hex(8) for key in self.keys}, timeout=None)


def _pending_renewals(connection):
    """This transaction's `_Renewals`, if its commit hook is still to run (rolling back a savepoint that
    registered it drops it: the next change then registers a new one)."""
    for hook in connection.run_on_commit:
        for part in hook:
            if isinstance(part, _Renewals) and not part.done:
                return part
    return None


def _renew(key):
    """A new value when the change is committed. Outside a transaction it already is: a new value now. Within
    one, all the generations it changed get one together on commit, and each also gets one before this
    transaction next reads it, so this process never serves an old copy (`_Renewals`)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block and connection.get_autocommit():
        cache.set(key, secrets.token_hex(8), timeout=None)
        return
    renewals = _pending_renewals(connection)
    if renewals is None:
        renewals = _Renewals()
        transaction.on_commit(renewals)
    renewals.unread.add(key)
    renewals.keys.add(key)


def _read_in_transaction(keys):
    """The generations of `keys` are about to be read: those this transaction changed since it last read them
    are given their new value first (see `_Renewals`)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        renewals = _pending_renewals(connection)
        if renewals is not None:
            changed = renewals.unread.intersection(keys)
            if changed:
                cache.set_many({key: secrets.token_hex(8) for key in changed}, timeout=None)
                renewals.unread.difference_update(changed)


def renew_content():
    _renew(CONTENT_KEY)


def renew_person(user_id):
    _renew(_person_key(user_id))


def renew_casework():
    _renew(CASEWORK_KEY)


def renew_briefing():
    """Anything the briefing counts changed (training.briefing_cache.bump): every receipt, for one."""
    _renew(BRIEFING_KEY)


def allow_personal_copy(request):
    """Called by a page's serve: this answer depends only on the content and the person, so it may be kept."""
    setattr(request, _COPY_FLAG, True)


def record_changed(sender, instance, **kwargs):
    """post_save / post_delete of any model: renew the generation the record belongs to."""
    label = sender._meta.label
    if label in IGNORED_RECORDS:
        return
    if sender._meta.app_label == "casework":
        renew_casework()  # a child, a PEP, a share or a delegation: what the dashboard counts or lists
    if label in PERSONAL_RECORDS:
        renew_person(getattr(instance, PERSONAL_RECORDS[label]))
    elif label == settings.AUTH_USER_MODEL:
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            return  # signing in: no page shows it (and the sign-in keeps what it knows of the person)
        renew_person(instance.pk)
    elif sender._meta.app_label in CONTENT_APPS:
        renew_content()


AFTER_M2M_CHANGE = {"post_add", "post_remove", "post_clear"}


def people_rights_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A person's groups or permissions (admin rights, shown on pages and deciding MFA) changed."""
    if action not in AFTER_M2M_CHANGE:
        return
    if not reverse:
        renew_person(instance.pk)
    elif pk_set:  # these people joined or left a group, or gained or lost a permission
        for user_id in pk_set:
            renew_person(user_id)
    else:  # a group's (or a permission's) people cleared: who they were is no longer known
        renew_content()


def group_rights_changed(action, **kwargs):
    if action in AFTER_M2M_CHANGE:
        renew_content()  # every member of the group; rare enough to renew everyone's


def _generation(key) -> str:
    """The generation under `key`, read from the shared cache once a request (trust/request_generations.py)."""
    from .request_generations import remember, remembered

    _read_in_transaction([key])
    found = remembered(key)
    if found is not None:
        return found
    found = cache.get(key)
    if found is None:
        found = secrets.token_hex(8)
        if not cache.add(key, found, timeout=None):
            found = cache.get(key)
    remember(key, found)
    return found


# What is the same for everyone and changes only with what it is kept under (the content generation, or the
# content and casework generations and the day), kept in this process: name -> (key, read at, value).
_KEPT_IN_PROCESS: dict = {}


def kept_for_content(name, build):
    """`build()`, kept in this process until the content generation is renewed (any save or delete of a page,
    a site, a view restriction or a record of the policy, trust, home or training apps: `record_changed`).

    Only for what is the same for every person: never key it by, or let it hold, anything of one person's.
    The generation is read before building, so what is kept is never older than the generation it is kept
    under. Off without a cache every process shares (a renewal in one process would not reach the others);
    kept at most PERSONAL_PAGE_CACHE_SECONDS, like the copies, for a change made round the signals (a
    queryset update, or a change read inside its own transaction that was then rolled back).
    """
    if not getattr(settings, "PERSONAL_PAGE_CACHE", False):
        return build()
    return _kept_in_process(name, _generation(CONTENT_KEY), build)


def kept_for_casework(name, build):
    """`build()`, kept as `kept_for_content` keeps, until the content or the casework generation is renewed (any
    casework record but the audit trail) or the day turns: for what is the same for everyone and drawn from
    casework records, such as who has a delegation in force. Never a child's identity, nothing of one person's."""
    if not getattr(settings, "PERSONAL_PAGE_CACHE", False):
        return build()
    key = f"{_generation(CONTENT_KEY)}:{_generation(CASEWORK_KEY)}:{timezone.localdate().isoformat()}"
    return _kept_in_process(name, key, build)


def _kept_in_process(name, key, build):
    kept = _KEPT_IN_PROCESS.get(name)
    now = time.monotonic()
    if kept is not None and kept[0] == key and now - kept[1] < getattr(settings, "PERSONAL_PAGE_CACHE_SECONDS", 300):
        return kept[2]
    value = build()
    _KEPT_IN_PROCESS[name] = (key, now, value)
    return value


def _read_generations(request) -> dict:
    """Every generation, read in one round trip once a request (and before anything is rendered)."""
    from .request_generations import remember

    if not hasattr(request, "_personal_generation_values"):
        keys = [CONTENT_KEY, _person_key(request.user.pk), CASEWORK_KEY, BRIEFING_KEY]
        _read_in_transaction(keys)
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                found[key] = secrets.token_hex(8)
                if not cache.add(key, found[key], timeout=None):
                    found[key] = cache.get(key)
        for key in keys:
            remember(key, found[key])  # what is kept for everyone then asks the cache no more in this request
        request._personal_generation_values = {
            "content": found[keys[0]], "person": found[keys[1]], "casework": found[keys[2]], "briefing": found[keys[3]]
        }
    return request._personal_generation_values


def generations(request) -> str:
    """The content and the person's generations (what the person's rights and most pages depend on)."""
    found = _read_generations(request)
    return f"{found['content']}:{found['person']}"


def content_generation(request) -> str:
    """The content generation alone: what every person is shown of a page (its title, text and address)."""
    return _read_generations(request)["content"]


def casework_generations(request) -> str:
    """The content, the person's and the casework generations: what a designated teacher's casework deadlines
    depend on (any casework record but the audit trail renews the last)."""
    return f"{generations(request)}:{_read_generations(request)['casework']}"


def _page_generations(request) -> str:
    if request.path not in SHARED_RECORD_PATHS:
        return generations(request)
    found = _read_generations(request)
    return f"{generations(request)}:{found['casework']}:{found['briefing']}"


def _copy_key(request):
    csrf_secret = request.META.get("CSRF_COOKIE")
    if not csrf_secret:
        return None
    parts = [
        request.get_full_path(),
        str(request.user.pk),
        timezone.localdate().isoformat(),
        csrf_secret,
        _page_generations(request),
    ]
    return "personal-pages:copy:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _has_messages(request) -> bool:
    """Messages waiting or added (counting them does not mark them shown)."""
    return len(get_messages(request)) > 0


def _know_site(request):
    """Wagtail finds the request's Site (and then the home page's own type) with two queries on every page: the
    sites, with their root pages, are the same for everyone and kept for the content generation instead."""
    from django.http.request import split_domain_port
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    if hasattr(request, "_wagtail_site"):
        return
    place = (split_domain_port(request._get_raw_host())[0], request.get_port())  # as Site.find_for_request
    sites = kept_for_content("wagtail.sites", dict)
    if place not in sites:
        try:
            site = get_site_for_hostname(*place)
        except Site.DoesNotExist:
            site = None
        if site is not None:
            site.root_page.specific  # noqa: B018 - read once here, for everyone, not on each request
        if len(sites) < 20:  # a bound on what odd Host headers that passed ALLOWED_HOSTS can keep
            sites[place] = site
        request._wagtail_site = site
        return
    request._wagtail_site = sites[place]


class PersonalPageCacheMiddleware:
    """Serves and keeps the personal copies of Wagtail pages (see the module's docstring)."""

    def __init__(self, get_response):
        from wagtail.views import serve

        self.get_response = get_response
        self.wagtail_serve = serve

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_personal_copy_key", None)
        if (
            key
            and getattr(request, _COPY_FLAG, False)
            and response.status_code == 200
            and not response.cookies
            and request.META.get("CSRF_COOKIE") == getattr(request, "_personal_copy_csrf", None)
            and not _has_messages(request)
            and not getattr(response, "streaming", False)
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            timeout = getattr(settings, "PERSONAL_PAGE_CACHE_SECONDS", 300)
            cache.set(key, (response["Content-Type"], response.content), timeout=timeout)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is self.wagtail_serve and getattr(settings, "PERSONAL_PAGE_CACHE", False):
            _know_site(request)
        if not (
            getattr(settings, "PERSONAL_PAGE_CACHE", False)
            and view_func is self.wagtail_serve
            and request.method == "GET"
            and request.user.is_authenticated
            and not _has_messages(request)
        ):
            return None
        key = _copy_key(request)
        if key is None:
            return None
        copy = cache.get(key)
        if copy is None:
            request._personal_copy_key = key
            request._personal_copy_csrf = request.META.get("CSRF_COOKIE")
            return None
        content_type, content = copy
        return HttpResponse(content, content_type=content_type)


def connect():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(record_changed, dispatch_uid="personal-pages-save")
    post_delete.connect(record_changed, dispatch_uid="personal-pages-delete")
    user_model = get_user_model()
    m2m_changed.connect(people_rights_changed, sender=user_model.groups.through, dispatch_uid="personal-pages-groups")
    m2m_changed.connect(
        people_rights_changed, sender=user_model.user_permissions.through, dispatch_uid="personal-pages-perms"
    )
    m2m_changed.connect(group_rights_changed, sender=Group.permissions.through, dispatch_uid="personal-pages-group")


def shared_generations() -> str:
    """The content and casework generations, read in one round trip without a request: what figures that are
    the same for everyone and drawn from casework and the trust's records (the governors' casework oversight,
    training/oversight.py) are kept under. Read them before computing what is kept."""
    _read_in_transaction([CONTENT_KEY, CASEWORK_KEY])
    found = cache.get_many([CONTENT_KEY, CASEWORK_KEY])
    return ":".join(found.get(key) or _generation(key) for key in (CONTENT_KEY, CASEWORK_KEY))
