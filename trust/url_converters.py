"""`<record_id:…>` in a URL: a record's id, matched only when the database can hold it.

Django's `<int:…>` matches any run of digits, and a number past the largest 64-bit integer reached the database:
on SQLite an OverflowError, a server error, for an address anyone can type. Such an address now matches no URL
(404), as an id that no record has.
"""

from django.urls import register_converter

LARGEST_ID = 2**63 - 1  # the largest value of a 64-bit integer column (SQLite's INTEGER, PostgreSQL's bigint)


def is_record_id(value: str) -> bool:
    """Whether `value`, as typed in an address or a parameter, is an id some record could have."""
    return value.isascii() and value.isdigit() and int(value) <= LARGEST_ID


class RecordIdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        if not is_record_id(value):
            raise ValueError("no record can have this id")  # Django's resolver: this pattern does not match
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


def register():
    register_converter(RecordIdConverter, "record_id")
