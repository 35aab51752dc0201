"""National codes: the 31-character 实施编码 and the unified social credit code inside it.

A national 实施编码 is the implementing department's 18-character unified social credit code
(统一社会信用代码, GB 32100-2015), one character, and the 12-character 基本编码. The credit code
ends in a check character; a wrong one means the code was mistyped.
"""

from __future__ import annotations

import re

# GB 32100-2015: 31 characters, digits and capitals without I, O, S, V, Z.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CREDIT_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
NATIONAL_CODE = re.compile(r"^([0-9A-HJ-NPQRTUWXY]{18})[0-9A-Z]([0-9A-Z]{12})$")


def credit_check_character(first17: str) -> str:
    """The 18th character of a credit code: 31 − (Σ value × weight mod 31), 31 read as 0."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_of(code: str) -> str | None:
    """The credit code inside a code of the national 31-character shape, else None."""
    found = NATIONAL_CODE.match(code)
    return found.group(1) if found else None


def check_digit_error(code: str) -> tuple[str, str] | None:
    """(credit code, expected check character) when a national code's check character is
    wrong; None when it is right or the code does not have the national shape."""
    credit = credit_code_of(code)
    if credit is None:
        return None
    expected = credit_check_character(credit[:17])
    return None if credit[17] == expected else (credit, expected)
