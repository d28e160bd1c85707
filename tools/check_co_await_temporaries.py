#!/usr/bin/env python3
"""Flags aggregate temporaries built inside a co_await expression.

GCC 12 destroys the members of an aggregate temporary that is brace-initialised inside a co_await
expression twice: `co_await channel.write(Message{std::move(lease), n});` returns the lease to its
pool twice. Naming the value first (`Message m{...}; co_await channel.write(std::move(m));`) or
giving the type a constructor avoids it. A conditional expression that builds a temporary inside
a co_await (`co_await audit(s.empty() ? "" : ": " + s);`) frees it twice the same way, and so does
a lambda's closure passed by value inside one (`co_await apply([s](Dir &d) { ... });`). This check
keeps all three patterns out of the tree.

Usage: check_co_await_temporaries.py ROOT...   (exit 1 and a list of places when any is found)
"""
import pathlib
import re
import sys

# co_await, then anything but a statement end, then TypeName{ or TypeName<...>{ or a bare ({ / , {
PATTERN = re.compile(r"co_await\b[^;{}]*?(?:\b[A-Z]\w*(?:<[^;{}()]*>)?\s*|[(,]\s*)\{")
# co_await, then a lambda: `[captures](` — a closure built inside a co_await is destroyed twice too
LAMBDA = re.compile(r"co_await\b[^;{}]*?[(,]\s*\[[^\]]*\]\s*\(")
# co_await, then a call whose arguments hold a conditional expression: `? ... :`
CONDITIONAL = re.compile(r"co_await\b[^;{}]*?\(([^;{}]*?)\s\?\s[^;{}]*?\s:\s")
SUFFIXES = {".cpp", ".h", ".hpp", ".cc"}


def main(roots):
    problems = []
    for root in roots:
        for path in sorted(pathlib.Path(root).rglob("*")):
            if path.suffix not in SUFFIXES or "build" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for match in PATTERN.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path}:{line}: aggregate temporary inside co_await: {match.group(0).strip()}")
            for match in LAMBDA.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path}:{line}: closure temporary inside co_await: {match.group(0).strip()}")
            for match in CONDITIONAL.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path}:{line}: conditional temporary inside co_await: {match.group(0).strip()}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} place(s): name the value before the co_await (GCC 12 destroys such temporaries twice)")
        return 1
    print("no aggregate temporaries inside co_await expressions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["."]))
