#!/usr/bin/env python3
"""Strict check of a KLARF 1.2 file as public readers parse it, independent of Waferscope's code.

Usage: klarf_strict_check.py FILE.klarf

Checks: ASCII text; every record ends with ';' and the file with "EndOfFile;"; FileVersion 1 2
first; DeviceID present; ClassLookup and SampleTestPlan give one entry a line, as many as they say;
DefectRecordSpec's count equals its names, which include IMAGECOUNT and IMAGELIST; every DefectList
row is a line of its own starting with a space, with exactly the declared columns, IMAGELIST being a
count and that many (image number, image type) pairs, and IMAGECOUNT equal to that count; when there
are images, TiffSpec and TiffFileName are present, the TIFF exists beside the KLARF, and its pages
are exactly the image numbers used, each once. Prints what is wrong with its line and exits 1.
"""

import os
import struct
import sys


class Bad(Exception):
    pass


def tokens(line):
    out, i = [], 0
    while i < len(line):
        c = line[i]
        if c.isspace():
            i += 1
        elif c == '"':
            j = line.find('"', i + 1)
            if j < 0:
                raise Bad("unclosed quote")
            out.append(line[i:j + 1])
            i = j + 1
        elif c == ";":
            out.append(";")
            i += 1
        else:
            j = i
            while j < len(line) and not line[j].isspace() and line[j] not in ';"':
                j += 1
            out.append(line[i:j])
            i = j
    return out


def records(lines):
    """[(keyword, [(line number, [tokens of that line])])], each ended by ';'."""
    result, current = [], None
    for number, line in enumerate(lines, 1):
        toks = tokens(line)
        if not toks:
            continue
        if current is None:
            if toks[0] == ";":
                raise Bad(f"line {number}: ';' without a record")
            current = (toks[0], number, [])
            toks = toks[1:]
        body = toks
        ended = ";" in body
        if ended:
            if body.index(";") != len(body) - 1:
                raise Bad(f"line {number}: text after ';'")
            body = body[:-1]
        current[2].append((number, line, body))
        if ended:
            result.append(current)
            current = None
    if current is not None:
        raise Bad(f"line {current[1]}: record {current[0]} is not ended with ';'")
    return result


def tiff_pages(path):
    with open(path, "rb") as f:
        data = f.read()
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if order is None or struct.unpack(order + "H", data[2:4])[0] != 42:
        raise Bad(f"{path} is not a classic TIFF")
    offset = struct.unpack(order + "I", data[4:8])[0]
    pages = 0
    while offset != 0:
        if offset + 2 > len(data) or pages > 100000:
            raise Bad(f"{path}: directory {pages + 1} lies outside the file")
        count = struct.unpack(order + "H", data[offset:offset + 2])[0]
        end = offset + 2 + 12 * count
        if end + 4 > len(data):
            raise Bad(f"{path}: directory {pages + 1} is cut short")
        pages += 1
        offset = struct.unpack(order + "I", data[end:end + 4])[0]
    return pages


def check(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as e:
        raise Bad(f"not ASCII: {e}")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    recs = records(lines)
    keywords = [r[0] for r in recs]
    if keywords[0] != "FileVersion" or recs[0][2][0][2] != ["1", "2"]:
        raise Bad("line 1: the file does not begin with FileVersion 1 2;")
    if keywords[-1] != "EndOfFile" or any(r[0] == "EndOfFile" for r in recs[:-1]):
        raise Bad("the file does not end with EndOfFile;")
    if "DeviceID" not in keywords:
        raise Bad("no DeviceID record")
    by = {r[0]: r for r in recs}

    def listed(keyword, width):
        _, first, rows = by[keyword]
        count = int(rows[0][2][0])
        if len(rows[0][2]) != 1:
            raise Bad(f"line {first}: {keyword} has entries on its own line")
        entries = rows[1:]
        if len(entries) != count:
            raise Bad(f"line {first}: {keyword} says {count} entries but has {len(entries)} lines")
        for number, line, body in entries:
            if len(body) != width or not line.startswith(" "):
                raise Bad(f"line {number}: a {keyword} entry is not one line of {width} values starting with a space")
        return entries

    listed("ClassLookup", 2)
    listed("SampleTestPlan", 2)
    spec_number, spec_line, spec = by["DefectRecordSpec"][1], None, by["DefectRecordSpec"][2]
    names = [t for _, _, body in spec for t in body]
    if int(names[0]) != len(names) - 1:
        raise Bad(f"line {spec_number}: DefectRecordSpec {names[0]} lists {len(names) - 1} names")
    columns = names[1:]
    if "IMAGECOUNT" not in columns or "IMAGELIST" not in columns:
        raise Bad(f"line {spec_number}: DefectRecordSpec lacks IMAGECOUNT or IMAGELIST")
    at_count, at_list = columns.index("IMAGECOUNT"), columns.index("IMAGELIST")
    if at_list != len(columns) - 1:
        raise Bad(f"line {spec_number}: IMAGELIST is not the last column")
    used = []
    rows = by["DefectList"][2]
    if rows[0][2]:
        raise Bad(f"line {rows[0][0]}: DefectList has values on its own line")
    for number, line, body in rows[1:]:
        if not line.startswith(" "):
            raise Bad(f"line {number}: a defect row does not start with a space")
        if len(body) < len(columns):
            raise Bad(f"line {number}: {len(body)} values for {len(columns)} columns")
        images = int(body[at_list])
        if len(body) != len(columns) + 2 * images:
            raise Bad(f"line {number}: {len(body)} values; {len(columns)} columns with {images} image pairs take "
                      f"{len(columns) + 2 * images}")
        if int(body[at_count]) != images:
            raise Bad(f"line {number}: IMAGECOUNT {body[at_count]} but IMAGELIST has {images} images")
        for k in range(images):
            used.append(int(body[at_list + 1 + 2 * k]))
            int(body[at_list + 2 + 2 * k])
        for value in body[:at_list]:
            float(value)
    if used:
        if "TiffSpec" not in by or "TiffFileName" not in by:
            raise Bad("images without TiffSpec and TiffFileName")
        name = by["TiffFileName"][2][0][2][0]
        tiff = os.path.join(os.path.dirname(path), name)
        if not os.path.isfile(tiff):
            raise Bad(f"TiffFileName {name} does not exist beside the KLARF")
        pages = tiff_pages(tiff)
        if sorted(used) != list(range(1, pages + 1)):
            raise Bad(f"image numbers {sorted(used)} are not the {pages} pages of {name}, each once")
    return len(rows) - 1, len(used)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    try:
        defects, images = check(sys.argv[1])
    except (Bad, ValueError, KeyError, IndexError, OSError) as e:
        print(f"{sys.argv[1]}: {e}")
        return 1
    print(f"{sys.argv[1]}: strict KLARF 1.2, {defects} defects, {images} images in the TIFF")
    return 0


if __name__ == "__main__":
    sys.exit(main())
