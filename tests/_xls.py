"""A minimal writer of Excel 97-2003 workbooks (.xls, BIFF8), for test fixtures only.

No maintained Python package writes .xls any more, and CI installs only what pip brings, so
the tests build their .xls fixtures here: text cells (LABEL records, UTF-16) and number
cells (NUMBER records) on one or more sheets, in the OLE2 compound file that Excel and WPS
write (one FAT sector, the workbook stream padded past the 4096-byte mini-stream cutoff).
It writes no formats, styles or formulas: enough for a reader to find the cells.
"""

import struct

_SECTOR = 512
_END_OF_CHAIN = 0xFFFFFFFE
_FAT_SECTOR = 0xFFFFFFFD
_FREE = 0xFFFFFFFF
_NO_STREAM = 0xFFFFFFFF
_MINI_CUTOFF = 4096


def _record(kind, data=b""):
    return struct.pack("<HH", kind, len(data)) + data


def _bof(sheet_kind):
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, sheet_kind, 0x0DBB, 0x07CC, 0, 6))


def _cell(row, column, value):
    if value is None or value == "":
        return b""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        return _record(0x0203, struct.pack("<HHHd", row, column, 0, float(value)))
    text = str(value).encode("utf-16-le")
    return _record(0x0204, struct.pack("<HHHHB", row, column, 0, len(text) // 2, 1) + text)


def _sheet_stream(rows):
    width = max((len(row) for row in rows), default=0)
    body = [_bof(0x0010), _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))]
    body += [_cell(r, c, value) for r, row in enumerate(rows) for c, value in enumerate(row)]
    body.append(_record(0x000A))
    return b"".join(body)


def _workbook_stream(sheets):
    names = list(sheets)
    streams = [_sheet_stream(sheets[name]) for name in names]

    def boundsheet(name, offset):
        text = name.encode("utf-16-le")
        return _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(text) // 2, 1) + text)

    head = _bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))
    globals_size = len(head) + sum(len(boundsheet(n, 0)) for n in names) + len(_record(0x000A))
    offset = globals_size
    sheet_records = b""
    for name, stream in zip(names, streams, strict=True):
        sheet_records += boundsheet(name, offset)
        offset += len(stream)
    data = head + sheet_records + _record(0x000A) + b"".join(streams)
    return data.ljust(max(_MINI_CUTOFF, len(data)), b"\x00")


def _directory_entry(name, kind, child, start, size):
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded),
        kind,
        1,  # black (the red-black tree of one child)
        _NO_STREAM,
        _NO_STREAM,
        child,
        b"\x00" * 16,
        0,
        0,
        0,
        start,
        size,
    )


def xls_bytes(sheets):
    """Return an .xls workbook holding ``sheets``: sheet name -> list of rows of cells."""
    stream = _workbook_stream(sheets)
    stream_sectors = -(-len(stream) // _SECTOR)
    if stream_sectors + 2 > _SECTOR // 4:
        msg = "the fixture writer handles workbooks up to about 60 kB"
        raise ValueError(msg)
    directory_sector = 1 + stream_sectors
    fat = [_FAT_SECTOR]
    fat += [1 + i + 1 for i in range(stream_sectors - 1)] + [_END_OF_CHAIN]
    fat += [_END_OF_CHAIN]  # the directory's one sector
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        directory_sector,
        0,
        _MINI_CUTOFF,
        _END_OF_CHAIN,  # no mini FAT
        0,
        _END_OF_CHAIN,  # no DIFAT sectors
        0,
    )
    header += struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108
    directory = _directory_entry("Root Entry", 5, 1, _END_OF_CHAIN, 0)
    directory += _directory_entry("Workbook", 2, _NO_STREAM, 1, len(stream))
    directory += _directory_entry("", 0, _NO_STREAM, 0, 0) * 2
    padded = stream.ljust(stream_sectors * _SECTOR, b"\x00")
    return header + struct.pack(f"<{_SECTOR // 4}I", *fat) + padded + directory
