"""Progress on stderr: Rich bars with a count of errors (``whichai run``: one per model; ``whichai load``:
one per concurrency point). Descriptions are shown as text, never as markup."""

from __future__ import annotations

from typing import Any


class ErrorBars:
    """A set of progress bars, each with an ``errors`` field; a context manager that shows them while open."""

    def __init__(self, quiet: bool = False) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from whichai.cli.output import err_console

        self.progress = Progress(
            TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
            TextColumn("[red]{task.fields[errors]} errors"), TimeElapsedColumn(),
            console=err_console(), transient=False, disable=quiet,
        )

    def __enter__(self) -> Any:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self.progress.__exit__(*exc)

    def add(self, description: str, total: int | None, completed: int = 0) -> Any:
        """A new bar; returns its id."""
        return self.progress.add_task(description, total=total, completed=completed, errors=0)

    def count_error(self, bar: Any, advance: int = 0) -> None:
        """One more error on ``bar`` (advancing it by ``advance``)."""
        errors = next(task for task in self.progress.tasks if task.id == bar).fields["errors"] + 1
        self.progress.update(bar, errors=errors, advance=advance)
