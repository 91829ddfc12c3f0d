"""Build step that puts the repository's reference tables and notebooks in the wheel.

The repository keeps one copy of each, in ``data/reference/`` and
``notebooks/``. A wheel has no repository around it, so ``build_py`` copies
them into ``nq28_analysis/_shipped/`` of the built package, with the same
relative paths: ``_shipped/data/reference/…``, ``_shipped/notebooks/…``.
``nq28_analysis.common.project.shipped_project()`` reads them from there, and
from the checkout itself when there is no such copy. An editable install makes
no copy: it reads the checkout, which stays the only source. ``MANIFEST.in``
puts the same folders in the sdist, so that a wheel built from it has them too.

Everything else about the package is in ``pyproject.toml``.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: Folder of the repository → which of its files are shipped.
SHIPPED = {"data/reference": "*", "notebooks": "*.ipynb"}
TARGET = Path("nq28_analysis", "_shipped")


class BuildWithShippedData(build_py):
    """``build_py`` that also copies :data:`SHIPPED` into the built package."""

    def _shipped(self) -> list[tuple[Path, Path]]:
        if getattr(self, "editable_mode", False):
            return []
        pairs = []
        for folder, pattern in SHIPPED.items():
            for source in sorted((HERE / folder).glob(pattern)):
                if source.is_file() and not source.name.startswith("."):
                    pairs.append((source, Path(self.build_lib, TARGET, folder, source.name)))
        return pairs

    def run(self) -> None:
        super().run()
        for source, target in self._shipped():
            self.mkpath(str(target.parent))
            self.copy_file(str(source), str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return super().get_outputs(include_bytecode) + [str(t) for _, t in self._shipped()]


setup(cmdclass={"build_py": BuildWithShippedData})
