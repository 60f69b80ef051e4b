from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from policy.importer import PolicyImportError, parse_file
from policy.models import PolicyIndexPage, PolicyPage


class Command(BaseCommand):
    help = "Import a Word (.docx) or plain-text (.txt) policy as a draft policy page under /policies/."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", help="The page title (default: the document's own title)")
        parser.add_argument("--slug", help="The page's address under /policies/ (default: from the title)")

    def handle(self, *args, file: Path, title=None, slug=None, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        index = PolicyIndexPage.objects.first()
        if index is None:
            raise CommandError("There is no policy index page (/policies/): run the migrations first.")
        try:
            imported = parse_file(file)
        except PolicyImportError as exc:
            raise CommandError(str(exc)) from exc
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Could not read {file.name}: {exc}") from exc
        if not imported.blocks:
            raise CommandError(f"{file.name} has no text to import.")
        title = title or imported.title or file.stem.replace("-", " ").replace("_", " ").capitalize()
        slug = slug or slugify(title)[:80]
        if index.get_children().filter(slug=slug).exists():
            raise CommandError(f"A policy already uses the address /policies/{slug}/: choose another with --slug.")
        page = PolicyPage(
            title=title,
            slug=slug,
            summary="Imported from " + file.name + ". Write a short summary before publishing.",
            body=imported.blocks,
            adopted_on=imported.adopted_on,
            review_basis=imported.review_basis,
            next_review=imported.next_review,
            live=False,
        )
        index.add_child(instance=page)
        page.save_revision()
        headings = ", ".join(imported.headings()) or "none"
        self.stdout.write(
            self.style.SUCCESS(f"Imported “{title}” as a draft at /policies/{slug}/ (page {page.pk}). Headings: {headings}.")
        )
