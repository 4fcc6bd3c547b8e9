"""Spreadsheet files for tests: what a spreadsheet would run as a formula in
an exported CSV file, and workbooks that unpack to more than they seem."""

import io
import re
import zipfile

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


def declare_unpacked_size(content, member, size):
    """The archive with the size ``member`` declares (unpacked) set to
    ``size``, in its local header and in the central directory."""
    data = bytearray(content)
    name = member.encode()
    for signature, size_at, name_length_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        position = data.find(signature)
        while position != -1:
            length = int.from_bytes(
                data[position + name_length_at : position + name_length_at + 2],
                "little",
            )
            if data[position + name_at : position + name_at + length] == name:
                data[position + size_at : position + size_at + 4] = size.to_bytes(
                    4, "little"
                )
            position = data.find(signature, position + 4)
    return bytes(data)


def padded(content, member, padding):
    """The archive with ``padding`` bytes of blanks in ``member`` (XML
    allows them between elements): a real "zip bomb" of a few kilobytes."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * padding)
            target.writestr(info.filename, data)
    return out.getvalue()
