"""What a spreadsheet would run as a formula in an exported CSV file."""

import re

SEPARATORS = re.compile(r"[,;\t\r\n]")
NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def formulas_when_split(text):
    """The pieces of CSV text that a spreadsheet would run as a formula when
    it splits the text at any comma, semicolon, tab or line break (as a tool
    set to another separator than ours does). A piece is one if, behind
    spaces and double quotes, it starts with = + - or @ and is not a number;
    an apostrophe in front makes it text."""
    formulas = []
    for piece in SEPARATORS.split(text):
        start = piece.lstrip(' "')
        if start.startswith(("=", "+", "-", "@")) and not NUMBER.fullmatch(start):
            formulas.append(piece)
    return formulas
