#!/usr/bin/env python3
"""Runs every shell example of README.md, so the README cannot rot (issue 10).

Every ```sh block must be preceded by one marker line:

  <!-- example: run -->            the block is run as written (bash -euo pipefail, from the
                                   repository root, after `make demo`); it must exit 0
  <!-- example: demo -->           every command of the block must be a step of the Makefile's
                                   `demo` recipe ($(BIN), $(DATA), $(OUT) expanded), which
                                   `make readme-test` runs first
  <!-- example: skip — REASON -->  not run (needs a camera, a board, or is `make test` itself);
                                   the reason is required and printed

A block without a marker, a marker without a block, or an unknown kind fails the check.

  scripts/readme-examples.py [--readme README.md] [--makefile Makefile] [--list]
"""
import argparse
import os
import re
import subprocess
import sys
import time

MARKER = re.compile(r"^<!--\s*example:\s*(run|demo|skip)\s*(?:[—-]+\s*(.*?))?\s*-->\s*$")
FENCE_OPEN = re.compile(r"^```(\w*)\s*$")
SHELL_LANGUAGES = {"sh", "bash", "shell"}


class Example:
    def __init__(self, line, kind, reason, text):
        self.line, self.kind, self.reason, self.text = line, kind, reason, text

    def commands(self):
        """The block's commands: continuation lines joined, comments and blank lines dropped."""
        commands, current = [], ""
        for raw in self.text.splitlines():
            line = raw.rstrip()
            if not current and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if line.endswith("\\"):
                current += line[:-1] + " "
                continue
            current += line
            commands.append(normalise(strip_comment(current)))
            current = ""
        if current:
            commands.append(normalise(current))
        return commands


def strip_comment(command):
    """Drops a trailing `  # comment` (two spaces before the hash, as the README writes them)."""
    return re.split(r"\s{2,}#", command, maxsplit=1)[0]


def normalise(command):
    return " ".join(command.split())


def parse_readme(path):
    """The README's shell blocks with their markers; raises ValueError naming the line on a problem."""
    lines = open(path, encoding="utf-8").read().splitlines()
    examples, problems = [], []
    pending = None  # (line number, kind, reason) of a marker waiting for its block
    k = 0
    while k < len(lines):
        line = lines[k]
        marker = MARKER.match(line)
        if marker:
            if pending:
                problems.append(f"{path}:{pending[0]}: marker without a shell block after it")
            kind, reason = marker.group(1), (marker.group(2) or "").strip()
            if kind == "skip" and not reason:
                problems.append(f"{path}:{k + 1}: 'skip' needs a reason: <!-- example: skip — REASON -->")
            pending = (k + 1, kind, reason)
            k += 1
            continue
        if line.startswith("<!--") and "example" in line:
            problems.append(f"{path}:{k + 1}: unreadable example marker: {line.strip()}")
        fence = FENCE_OPEN.match(line)
        if fence:
            start = k + 1
            k += 1
            body = []
            while k < len(lines) and not lines[k].startswith("```"):
                body.append(lines[k])
                k += 1
            if k == len(lines):
                problems.append(f"{path}:{start}: code block never closed")
                break
            language = fence.group(1).lower()
            if language in SHELL_LANGUAGES:
                if pending is None:
                    problems.append(f"{path}:{start}: shell block without an <!-- example: run|demo|skip --> marker")
                else:
                    examples.append(Example(start, pending[1], pending[2], "\n".join(body)))
            elif pending is not None:
                problems.append(f"{path}:{pending[0]}: marker before a non-shell ({language or 'plain'}) block")
            pending = None
        elif pending is not None and line.strip():
            problems.append(f"{path}:{pending[0]}: marker not directly before a code block")
            pending = None
        k += 1
    if pending:
        problems.append(f"{path}:{pending[0]}: marker without a shell block after it")
    if problems:
        raise ValueError("\n".join(problems))
    return examples


def demo_steps(makefile):
    """The commands of the Makefile's `demo` recipe with $(BIN), $(DATA), $(OUT) expanded."""
    text = open(makefile, encoding="utf-8").read()
    variables = dict(re.findall(r"^(\w+)\s*\??=\s*(.*?)\s*$", text, re.M))
    variables["BIN"] = ".build/" + variables.get("CONFIG", "release")
    match = re.search(r"^demo:.*\n((?:\t.*\n|\s*\n)+)", text, re.M)
    if not match:
        raise ValueError(f"{makefile}: no demo recipe")
    recipe = match.group(1).replace("\\\n", " ")
    steps = []
    for line in recipe.splitlines():
        line = line.strip().lstrip("@")
        for name, value in variables.items():
            line = line.replace(f"$({name})", value)
        if line:
            steps.append(normalise(line))
    return steps


def run_block(example, timeout):
    env = dict(os.environ)
    if os.geteuid() == 0:  # Open MPI refuses root without these (CI runs as root)
        env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
        env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    started = time.monotonic()
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", example.text], env=env, timeout=timeout,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return result.returncode, result.stdout, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readme", default="README.md")
    parser.add_argument("--makefile", default="Makefile")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per block (default 1200)")
    parser.add_argument("--list", action="store_true", help="list the examples and their kind, run nothing")
    arguments = parser.parse_args()

    try:
        examples = parse_readme(arguments.readme)
        steps = demo_steps(arguments.makefile)
    except (OSError, ValueError) as error:
        print(f"readme-examples: {error}", file=sys.stderr)
        return 1

    failures = 0
    counts = {"run": 0, "demo": 0, "skip": 0}
    for example in examples:
        where = f"{arguments.readme}:{example.line}"
        counts[example.kind] += 1
        if arguments.list:
            print(f"{where}: {example.kind}: {' | '.join(example.commands())}")
            continue
        if example.kind == "skip":
            print(f"readme-examples: {where}: skipped — {example.reason}")
        elif example.kind == "demo":
            for command in example.commands():
                if not any(command in step for step in steps):
                    print(f"readme-examples: {where}: not a step of make demo: {command}", file=sys.stderr)
                    failures += 1
            print(f"readme-examples: {where}: {len(example.commands())} command(s) are make demo steps")
        else:
            print(f"readme-examples: {where}: running {len(example.commands())} command(s)", flush=True)
            try:
                status, output, seconds = run_block(example, arguments.timeout)
            except subprocess.TimeoutExpired:
                print(f"readme-examples: {where}: timed out after {arguments.timeout:.0f} s", file=sys.stderr)
                failures += 1
                continue
            if status != 0:
                print(output[-4000:], file=sys.stderr)
                print(f"readme-examples: {where}: exit status {status}", file=sys.stderr)
                failures += 1
            else:
                print(f"readme-examples: {where}: ok in {seconds:.1f} s")
    summary = f"{counts['run']} run, {counts['demo']} checked against make demo, {counts['skip']} skipped"
    if arguments.list:
        print(f"readme-examples: {len(examples)} examples listed, none run ({summary.replace('run,', 'to run,')})")
        return 0
    if failures:
        print(f"readme-examples: {failures} failure(s); {summary}", file=sys.stderr)
        return 1
    print(f"readme-examples: all examples pass ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
