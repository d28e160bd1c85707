#!/usr/bin/env python3
"""Checks that every #include of the product code runs down the module order.

Floors, lowest first: core (the domain) and core/runtime share the ground floor and know nothing
of each other; then hardware, pipelines, viewmodels, app. A file may include its own module and
any module on a lower floor, never one above it, and never a file inside another module's src/.
viewmodels reach pipelines only through the engine facade's public headers
(waferscope/pipelines/engine/), and see neither hardware nor runtime headers.

Usage: check_layering.py SOURCE_ROOT [KNOWN_EXCEPTIONS_FILE]
Prints one line per violation, "file:line: what is wrong", and exits 1 if there is any. The
exceptions file lists "file: <header>" lines still waiting for their issue to move them; a listed
include that no longer exists is reported too, so the list only shrinks.
"""

import os
import re
import sys

MODULE_DIRS = [  # (folder relative to the root, module name); the longest match wins
    ("core/runtime", "runtime"),
    ("core", "core"),
    ("hardware", "hardware"),
    ("pipelines", "pipelines"),
    ("viewmodels", "viewmodels"),
    ("app", "app"),
]
FLOOR = {"core": 0, "runtime": 0, "hardware": 1, "pipelines": 2, "viewmodels": 3, "app": 4}
# What each module may include besides itself: everything on a lower floor, with these limits.
FORBIDDEN = {
    "core": {"runtime"},      # the domain has no value tasks
    "runtime": {"core"},      # the runtime knows nothing of wafers
    "viewmodels": {"hardware", "runtime"},  # the facade is the only door
}
# The public headers a view model may take from pipelines.
VIEWMODEL_PIPELINE_HEADERS = re.compile(r"^waferscope/pipelines/engine/")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc")


def module_of_path(rel):
    for folder, name in MODULE_DIRS:
        if rel == folder or rel.startswith(folder + "/"):
            return name, folder
    return None, None


def module_of_include(header):
    m = re.match(r"^waferscope/([a-z_]+)/", header)
    if not m:
        return None
    return {"runtime": "runtime", "core": "core", "hardware": "hardware", "pipelines": "pipelines",
            "viewmodels": "viewmodels", "app": "app"}.get(m.group(1))


def check_file(root, rel, problems):
    module, folder = module_of_path(rel)
    if module is None:
        return
    directory = os.path.dirname(os.path.join(root, rel))
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            style, header = m.groups()
            where = f"{rel}:{number}"
            if style == '"':
                target = os.path.relpath(os.path.normpath(os.path.join(directory, header)), root)
                target_module, target_folder = module_of_path(target)
                if target_module is not None and target_folder != folder:
                    problems.append(f"{where}: \"{header}\" reaches into {target_folder}/, another module's "
                                    f"files; include its public header instead")
                continue
            if "/src/" in header or header.startswith("src/"):
                problems.append(f"{where}: <{header}> names a src/ folder, which is private to its module")
                continue
            target = module_of_include(header)
            if target is None or target == module:
                continue
            if target in FORBIDDEN.get(module, set()):
                problems.append(f"{where}: {module} may not include {target} headers (<{header}>)")
            elif FLOOR[target] > FLOOR[module]:
                problems.append(f"{where}: <{header}> runs up the layering: {module} (floor {FLOOR[module]}) "
                                f"includes {target} (floor {FLOOR[target]})")
            elif module == "viewmodels" and target == "pipelines" and not VIEWMODEL_PIPELINE_HEADERS.match(header):
                problems.append(f"{where}: view models see pipelines only through the engine facade "
                                f"(waferscope/pipelines/engine/), not <{header}>")


def read_exceptions(path):
    known = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                known.add(line)
    return known


def main():
    if len(sys.argv) not in (2, 3):
        print("usage: check_layering.py SOURCE_ROOT [KNOWN_EXCEPTIONS_FILE]", file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    known = read_exceptions(sys.argv[2]) if len(sys.argv) == 3 else set()
    problems = []
    checked = 0
    for top, _ in MODULE_DIRS:
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d != "build")
            for name in sorted(filenames):
                if name.endswith(SOURCE_SUFFIXES):
                    rel = os.path.relpath(os.path.join(dirpath, name), root)
                    if module_of_path(rel)[1] == top:  # each file once, under its own module
                        check_file(root, rel, problems)
                        checked += 1
    seen = set()
    remaining = []
    for p in problems:
        m = re.match(r"^([^:]+):\d+: .*(<[^>]+>)", p)
        key = f"{m.group(1)}: {m.group(2)}" if m else None
        if key in known:
            seen.add(key)
        else:
            remaining.append(p)
    for key in sorted(known - seen):
        remaining.append(f"{key}: listed as a known exception but no longer included; remove it from the list")
    problems = remaining
    for p in problems:
        print(p)
    print(f"checked {checked} files: {len(problems)} include(s) against the layering")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
