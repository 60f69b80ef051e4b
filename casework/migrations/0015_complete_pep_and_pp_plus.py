"""A complete PEP (the 2010 regulations' Schedule 1 sections, the child's voice, attendance in sessions, the
previous targets evaluated), suspensions and exclusions, and PP+ as data: rates per financial year (seeded), the
termly request to the virtual school and its answer, spending per target.

Nothing saved is lost: a PEP's attendance percentage (sessions were not counted) goes into its education history,
and its PP+ requested and spent become a PP+ request awaiting an answer (or, with no responsible authority, a line
in the education history) before the old fields are removed."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models

import casework.models.peps
import casework.models.pupil_premium

RATES = [
    # DfE, Pupil premium: conditions of grant 2024 to 2025 and 2025 to 2026 (looked-after children).
    ("2024-25", Decimal("2570.00"), "DfE pupil premium conditions of grant 2024 to 2025"),
    ("2025-26", Decimal("2630.00"), "DfE pupil premium conditions of grant 2025 to 2026"),
]
DT_MODELS = ["suspension", "ppplusrequest", "previoustargetevaluation"]
ACTIONS = ["add", "change", "delete", "view"]


def keep_old_figures(apps, schema_editor):
    PEP = apps.get_model("casework", "PEP")
    PPPlusRequest = apps.get_model("casework", "PPPlusRequest")
    for pep in PEP.objects.select_related("child"):
        notes = []
        if pep.attendance_percent is not None:
            notes.append(f"Attendance recorded before sessions were counted: {pep.attendance_percent}%.")
        requested, spent = pep.ppplus_requested or Decimal(0), pep.ppplus_spent or Decimal(0)
        if requested or spent:
            purpose = "Recorded before PP+ requests were tracked."
            if spent:
                purpose += f" £{spent:,.2f} was recorded as spent before spending was kept against targets."
            if requested and pep.child.responsible_authority_id:
                PPPlusRequest.objects.create(
                    pep=pep,
                    local_authority_id=pep.child.responsible_authority_id,
                    requested_on=pep.meeting_date or pep.period_starts_on,
                    amount_requested=requested,
                    purpose=purpose,
                )
            else:
                notes.append(
                    f"PP+ requested £{requested:,.2f}, spent £{spent:,.2f} (recorded before requests were tracked)."
                )
        if notes:
            pep.education_history = "\n".join([pep.education_history, *notes]).strip()
            pep.save(update_fields=["education_history"])


def _permissions(apps, model, actions):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="casework", model=model)
    return [
        Permission.objects.get_or_create(
            content_type=ct, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
        )[0]
        for action in actions
    ]


def seed_rates_and_grant(apps, schema_editor):
    PPPlusRate = apps.get_model("casework", "PPPlusRate")
    for year, amount, source in RATES:
        PPPlusRate.objects.get_or_create(financial_year=year, defaults={"amount_per_child": amount, "source": source})
    Group = apps.get_model("auth", "Group")
    dts, _ = Group.objects.get_or_create(name="Designated teachers")
    for model in DT_MODELS:
        dts.permissions.add(*_permissions(apps, model, ACTIONS))
    dts.permissions.add(*_permissions(apps, "ppplusrate", ["view"]))
    admins, _ = Group.objects.get_or_create(name="Trust administrators")
    admins.permissions.add(*_permissions(apps, "ppplusrate", ACTIONS))


def unseed_and_revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Designated teachers", "Trust administrators"]):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__model__in=[*DT_MODELS, "ppplusrate"], content_type__app_label="casework"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0014_evidence_triggers_no_session_can_switch_off"),
        ("trust", "0002_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PPPlusRate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "financial_year",
                    models.CharField(
                        help_text="For example 2025-26.",
                        max_length=7,
                        unique=True,
                        validators=[casework.models.pupil_premium.validate_financial_year],
                    ),
                ),
                (
                    "amount_per_child",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=8,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                        verbose_name="amount per child (£)",
                    ),
                ),
                ("source", models.CharField(blank=True, help_text="Where the rate is published.", max_length=300)),
            ],
            options={
                "verbose_name": "PP+ rate",
                "verbose_name_plural": "PP+ rates",
                "ordering": ["-financial_year"],
            },
        ),
        migrations.AddField(
            model_name="pep",
            name="carers_role",
            field=models.TextField(
                blank=True,
                help_text="How the carer supports learning: reading, homework, meetings.",
                verbose_name="the carer's role",
            ),
        ),
        migrations.AddField(
            model_name="pep",
            name="current_arrangements",
            field=models.TextField(
                blank=True,
                help_text="School, year group, timetable, any part-time or alternative provision.",
                verbose_name="current educational arrangements",
            ),
        ),
        migrations.AddField(
            model_name="pep",
            name="leisure_interests",
            field=models.TextField(
                blank=True, help_text="Clubs, hobbies, sport, music.", verbose_name="leisure interests"
            ),
        ),
        migrations.AddField(
            model_name="pep",
            name="minimising_disruption",
            field=models.TextField(
                blank=True,
                help_text="What keeps the child's education steady through the changes.",
                verbose_name="how disruption is minimised",
            ),
        ),
        migrations.AddField(
            model_name="pep",
            name="planned_changes",
            field=models.TextField(
                blank=True,
                help_text="A move of school or placement, a new provision, or 'None planned'.",
                verbose_name="planned changes",
            ),
        ),
        migrations.AddField(
            model_name="pep",
            name="sen_provision",
            field=models.TextField(
                blank=True,
                help_text="What is in place for special educational needs, or 'None'.",
                verbose_name="SEN provision",
            ),
        ),
        migrations.AddField(
            model_name="pep",
            name="sessions_attended",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="sessions attended"),
        ),
        migrations.AddField(
            model_name="pep",
            name="sessions_possible",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Sessions (mornings and afternoons) the school was open to the child.",
                null=True,
                verbose_name="sessions possible",
            ),
        ),
        migrations.AddField(
            model_name="pep",
            name="voice_going_well",
            field=models.TextField(blank=True, verbose_name="what is going well"),
        ),
        migrations.AddField(
            model_name="pep",
            name="voice_helps_me_learn",
            field=models.TextField(blank=True, verbose_name="what helps me learn"),
        ),
        migrations.AddField(
            model_name="pep",
            name="voice_hopes",
            field=models.TextField(blank=True, verbose_name="my hopes and goals"),
        ),
        migrations.AddField(
            model_name="pep",
            name="voice_worries",
            field=models.TextField(blank=True, verbose_name="what worries me"),
        ),
        migrations.AddField(
            model_name="target",
            name="ppplus_spent",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                help_text="Pupil Premium Plus spent on this target so far.",
                max_digits=8,
                validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                verbose_name="PP+ spent (£)",
            ),
        ),
        migrations.AlterField(
            model_name="pep",
            name="childs_views",
            field=models.TextField(blank=True, verbose_name="anything else the child wants to say"),
        ),
        migrations.AlterField(
            model_name="target",
            name="ppplus_allocated",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                help_text="Pupil Premium Plus set aside for this target.",
                max_digits=8,
                validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                verbose_name="PP+ allocated (£)",
            ),
        ),
        migrations.CreateModel(
            name="PPPlusRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("requested_on", models.DateField()),
                (
                    "amount_requested",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=8,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                        verbose_name="amount requested (£)",
                    ),
                ),
                (
                    "purpose",
                    models.TextField(
                        help_text="The targets and the provision it pays for.", verbose_name="what it is for"
                    ),
                ),
                (
                    "answer",
                    models.CharField(
                        choices=[
                            ("awaiting", "Awaiting an answer"),
                            ("approved", "Approved in full"),
                            ("part", "Part approved"),
                            ("refused", "Refused"),
                        ],
                        default="awaiting",
                        max_length=10,
                    ),
                ),
                ("answered_on", models.DateField(blank=True, null=True)),
                (
                    "amount_approved",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="Left empty when approved in full: the amount requested.",
                        max_digits=8,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                        verbose_name="amount approved (£)",
                    ),
                ),
                ("answer_note", models.TextField(blank=True, verbose_name="the virtual school's note")),
                (
                    "local_authority",
                    models.ForeignKey(
                        blank=True,
                        help_text="The responsible local authority's virtual school. Left empty: the child's responsible authority.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="casework.localauthority",
                    ),
                ),
                (
                    "pep",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="ppplus_requests", to="casework.pep"
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "PP+ request",
                "verbose_name_plural": "PP+ requests",
                "ordering": ["pep", "requested_on"],
            },
        ),
        migrations.CreateModel(
            name="Suspension",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("suspension", "Suspension (fixed period)"), ("permanent", "Permanent exclusion")],
                        default="suspension",
                        max_length=10,
                    ),
                ),
                ("starts_on", models.DateField(verbose_name="first day")),
                (
                    "length_days",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        help_text="In school days; a lunchtime or half day is 0.5. Not needed for a permanent exclusion.",
                        max_digits=4,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.5"))],
                        verbose_name="length (school days)",
                    ),
                ),
                ("reason", models.TextField(help_text="The reason given in the head teacher's letter.")),
                (
                    "child",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="suspensions", to="casework.child"
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "suspension or exclusion",
                "verbose_name_plural": "suspensions and exclusions",
                "ordering": ["child", "-starts_on"],
            },
        ),
        migrations.CreateModel(
            name="PreviousTargetEvaluation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("target_summary", models.TextField(blank=True, editable=False, verbose_name="previous target")),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[("met", "Met"), ("partly_met", "Partly met"), ("not_met", "Not met")],
                        max_length=12,
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True, help_text="What the evidence shows, and what carries on into this PEP."
                    ),
                ),
                (
                    "pep",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="previous_target_evaluations",
                        to="casework.pep",
                    ),
                ),
                (
                    "target",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="evaluations", to="casework.target"
                    ),
                ),
            ],
            options={
                "ordering": ["pep", "target__by_when", "target_id"],
                "constraints": [
                    models.UniqueConstraint(fields=("pep", "target"), name="one_evaluation_per_previous_target")
                ],
            },
            bases=(casework.models.peps.PartOfPEP, models.Model),
        ),
        migrations.RunPython(keep_old_figures, migrations.RunPython.noop),
        migrations.RunPython(seed_rates_and_grant, unseed_and_revoke),
        migrations.RemoveField(
            model_name="pep",
            name="attendance_percent",
        ),
        migrations.RemoveField(
            model_name="pep",
            name="ppplus_requested",
        ),
        migrations.RemoveField(
            model_name="pep",
            name="ppplus_spent",
        ),
    ]
