"""The shape of the app's code: its longest functions and its import directions. Prints, asserts nothing.

    .venv/bin/python bench/code_shape.py [--source DIR] [--top 10]

A function's length is its lines from ``def`` to its last line (nested functions included in
their parent's). The import directions are the layers each layer of ``sut/`` imports: the
cosmicpython rule is domain <- service_layer <- adapters/entrypoints, so service_layer must
import no adapter and the domain nothing of the app's outer layers.
"""

from __future__ import annotations

import argparse
import ast
import collections
import pathlib

LAYERS = ("domain", "service_layer", "adapters", "entrypoints")


def functions(root: pathlib.Path):
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                nested = sum(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(node)) - 1
                yield node.end_lineno - node.lineno + 1, nested, f"{path.relative_to(root.parent)}:{node.lineno} {node.name}"


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "sut" and parts[1] in LAYERS else None


def imports(root: pathlib.Path) -> dict[tuple[str, str], set[str]]:
    found = collections.defaultdict(set)
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        here = ".".join(relative.parts)
        source_layer = layer_of(here)
        if source_layer is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: resolve against this package
                    base = here.split(".")[: -node.level]
                    names = [".".join(base + ([node.module] if node.module else []))]
                else:
                    names = [node.module or ""]
            for name in names:
                target = layer_of(name)
                if target and target != source_layer:
                    found[(source_layer, target)].add(str(path.relative_to(root.parent)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    root = args.source / "sut"
    print(f"The {args.top} longest functions of {root}:")
    for length, nested, where in sorted(functions(root), reverse=True)[: args.top]:
        print(f"  {length:4d} lines  {nested:3d} nested defs  {where}")
    print("Imports between layers (from -> to: files):")
    found = imports(root)
    for (source, target), files in sorted(found.items()):
        print(f"  {source:13s} -> {target:13s} {len(files):2d}  {', '.join(sorted(files))}")
    wrong = [(s, t) for (s, t) in found if LAYERS.index(t) > LAYERS.index(s)]
    print("Imports against the layering:", ", ".join(f"{s} -> {t}" for s, t in sorted(wrong)) or "none")


if __name__ == "__main__":
    main()
