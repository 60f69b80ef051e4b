"""The evidence register as CSV, XLSX (openpyxl) and a printable PDF (WeasyPrint).

Each file names the trust, the version (title, version, its text's SHA-256) and when it was made. People
who may see counts only get counts only.
"""

import csv
import io

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from .briefing_export import XLSX_TYPE, _safe
from .register import STATUS_LABELS

TRUST_NAME = "Symphony Learning Trust"
HEADER = [
    "Name",
    "Email",
    "Schools",
    "Roles",
    "Status",
    "When",
    "Date signed (paper)",
    "Due",
    "Receipt",
    "Receipt SHA-256",
    "Recorded by (paper)",
    "Why on paper",
]


def trust_name() -> str:
    return getattr(settings, "TRUST_NAME", TRUST_NAME)


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _row(r) -> list:
    return [
        r.name,
        r.email,
        ", ".join(r.schools),
        ", ".join(r.roles),
        r.status_label,
        _when(r.at),
        r.signed_on.isoformat() if r.signed_on else "",
        r.due_on.isoformat() if r.due_on else "",
        r.receipt_ref,
        r.receipt_hash,
        r.recorded_by,
        r.paper_reason,
    ]


def preamble(register, scope_label, made_at) -> list[list]:
    r = register.requirement
    return [
        [trust_name()],
        ["Evidence register", f"{r.kind}: {r.title}", r.version or "Version 1"],
        ["Text SHA-256 of this version", register.text_sha256],
        *([["Replaced by a later version", _when(r.until)]] if r.until else []),
        ["Scope", scope_label],
        ["Made", _when(made_at)],
    ]


def count_rows(register) -> list[list]:
    return [[label, register.counts[key]] for key, label in STATUS_LABELS.items()] + [["Everyone", register.total]]


def as_csv(register, filename, *, names, scope_label, made_at) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in preamble(register, scope_label, made_at):
        writer.writerow([_safe(v) for v in line])
    writer.writerow([])
    writer.writerow(["Status", "People"])
    writer.writerows(count_rows(register))
    if names:
        writer.writerow([])
        writer.writerow(HEADER)
        writer.writerows([[_safe(v) for v in _row(r)] for r in register.rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def as_xlsx(register, filename, *, names, scope_label, made_at) -> HttpResponse:
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    for line in preamble(register, scope_label, made_at):
        about.append([_safe(v) for v in line])
    about.append([])
    about.append(["Status", "People"])
    for line in count_rows(register):
        about.append(line)
    if names:
        sheet = workbook.create_sheet("Register")
        sheet.append(HEADER)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for r in register.rows:
            sheet.append([_safe(v) for v in _row(r)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def as_pdf(register, filename, *, names, scope_label, made_at) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(
        "training/register/register_pdf.html",
        {
            "register": register,
            "names": names,
            "trust_name": trust_name(),
            "scope_label": scope_label,
            "made_at": made_at,
            "counts": count_rows(register),
        },
    )
    response = HttpResponse(HTML(string=html, base_url=None).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


EXPORTERS = {"csv": as_csv, "xlsx": as_xlsx, "pdf": as_pdf}
