import urllib.error
import urllib.request

from django.core.management.base import BaseCommand, CommandError

from policy.models import GuidancePage

USER_AGENT = "Symphony staff portal link checker"


def check(url: str, timeout: float) -> str | None:
    """None when the link answers with a success; otherwise what went wrong."""
    if not url.startswith(("http://", "https://")):
        return "not a web address"
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                if response.status < 400:
                    return None
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue  # some servers refuse HEAD: try GET
            return f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return f"no answer ({reason})"
    return "no answer"


class Command(BaseCommand):
    help = "Check that every live DfE guidance page's link still answers; list those that do not."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(self, *args, timeout, **options):
        broken = []
        pages = GuidancePage.objects.live().order_by("title")
        for page in pages:
            problem = check(page.link_url, timeout)
            if problem:
                broken.append(page)
                self.stdout.write(f"BROKEN  {page.title}: {page.link_url} – {problem}")
            else:
                self.stdout.write(f"ok      {page.title}: {page.link_url}")
        if broken:
            raise CommandError(f"{len(broken)} of {len(pages)} guidance links did not answer.")
        self.stdout.write(self.style.SUCCESS(f"All {len(pages)} guidance links answered."))
