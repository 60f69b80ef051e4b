"""`<record_id:…>` in a URL: a record's id, matched only when the database can hold it.

Django's `<int:…>` matches any run of digits, and a number past the largest 64-bit integer reached the database:
on SQLite an OverflowError, a server error, for an address anyone can type. Such an address now matches no URL
(404), as an id that no record has.
"""

from django.urls import register_converter

LARGEST_ID = 2**63 - 1  # the largest value of a 64-bit integer column (SQLite's INTEGER, PostgreSQL's bigint)
_LARGEST_ID_DIGITS = len(str(LARGEST_ID))


def is_record_id(value: str) -> bool:
    """Whether `value`, as typed in an address or a parameter, is an id some record could have. Its length is
    checked first: Python refuses to read a number of more than 4,300 digits (a ValueError, not False)."""
    return value.isascii() and value.isdigit() and len(value) <= _LARGEST_ID_DIGITS and int(value) <= LARGEST_ID


def is_past_every_id(value: str) -> bool:
    """Whether `value` is a whole number larger than any record's id can be."""
    return value.isascii() and value.isdigit() and not is_record_id(value)


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
