"""The DfE unique pupil number (UPN) and its check letter.

A UPN is 13 characters: a check letter, the 3-digit LA number, the 4-digit establishment number, the
2-digit year of allocation and a 3-character serial (the last may be a letter in a temporary UPN).
The check letter: multiply characters 2 to 13 by weights 2 to 13 (a letter in position 13 by its
value in the table below), add them, divide by 23; the remainder picks the letter.
"""

import re

from django.core.exceptions import ValidationError

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S
# The DfE's local authority numbers run from 201 (City of London) to 938 (West Sussex); Welsh authorities,
# whose UPNs follow a child to England, lie inside that range too. 000 or 999 is a typing slip.
LA_NUMBERS = range(201, 939)
EXAMPLE = "R801200101001"  # a UPN that passes every check, for messages
_SHAPE = re.compile(r"^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$")


def _value(char: str) -> int:
    return int(char) if char.isdigit() else CHECK_LETTERS.index(char)


def check_letter(body: str) -> str:
    """The check letter for the 12 characters after it."""
    total = sum(_value(char) * weight for char, weight in zip(body, range(2, 14), strict=True))
    return CHECK_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    return (value or "").replace(" ", "").upper()


def validate_upn(value: str) -> None:
    upn = normalise_upn(value)
    if not _SHAPE.match(upn):
        raise ValidationError(
            f"A UPN is 13 characters: a letter, 11 digits, then a digit or letter (for example {EXAMPLE})."
        )
    if int(upn[1:4]) not in LA_NUMBERS:
        raise ValidationError(
            f"Characters 2 to 4 of a UPN are the local authority's number, from {LA_NUMBERS[0]} to "
            f"{LA_NUMBERS[-1]}; {upn[1:4]} is not one. Check the UPN against the child's records."
        )
    expected = check_letter(upn[1:])
    if upn[0] != expected:
        raise ValidationError(
            f"This UPN's check letter does not match: check each character (for these digits it would be {expected})."
        )
