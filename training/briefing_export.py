"""The briefing report as CSV and XLSX: the same tables as the page, one section (or sheet) each."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    """Spreadsheet programs run a cell starting with = + - @ as a formula: neutralise text cells."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _percent(figure):
    return "" if figure.percent is None else figure.percent


def tables(report, *, with_schools=True) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) for each table of the report."""
    by_role = []
    by_item = []
    for entry in [*report.schools, report.totals] if with_schools else [report.totals]:
        school = entry.school.name if entry.school else "All schools shown"
        for figure in [entry.overall, *entry.by_role]:
            by_role.append([school, figure.label, figure.total, figure.done, figure.outstanding, _percent(figure)])
        for item in entry.by_item:
            r, f = item.requirement, item.figure
            by_item.append([school, r.kind, r.title, r.version, f.total, f.done, f.outstanding, _percent(f)])
    result = [
        ("By role", ["School", "Who", "People", "Briefed", "Outstanding", "Briefed %"], by_role),
        (
            "By policy version and module",
            ["School", "Kind", "Title", "Version", "People", "Done", "Outstanding", "Done %"],
            by_item,
        ),
    ]
    people = [
        [entry.school.name, p.name, p.email, ", ".join(p.roles), "; ".join(p.items)]
        for entry in report.schools
        if entry.outstanding_people is not None
        for p in entry.outstanding_people
    ]
    if any(entry.outstanding_people is not None for entry in report.schools):
        result.append(("Who is outstanding", ["School", "Name", "Email", "Roles", "Outstanding"], people))
    return result


def as_csv(report, filename) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for n, (title, header, rows) in enumerate(tables(report)):
        if n:
            writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows([[_safe(v) for v in row] for row in rows])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def as_xlsx(report, filename) -> HttpResponse:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in tables(report):
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
