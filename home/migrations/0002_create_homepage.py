from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("home", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")

    # Replace Wagtail's placeholder "Welcome" page with the portal's home page.
    Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()
    if HomePage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    locale = Locale.objects.first()
    root = Page.objects.get(depth=1)
    numchild = Page.objects.filter(depth=2).count()
    homepage = HomePage.objects.create(
        title="Dashboard",
        draft_title="Dashboard",
        slug="home",
        content_type=content_type,
        path=f"{root.path}{numchild + 1:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    root.numchild = numchild + 1
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": homepage, "site_name": "Symphony staff portal"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
