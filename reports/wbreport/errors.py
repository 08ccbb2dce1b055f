"""The one error the report generator reports to its user: which file, and what is wrong with it."""


class ReportError(Exception):
    """Bad input: a missing or unreadable file, corrupt JSON, an incompatible results version.

    The message names the file and the problem and says what to do; scripts/report prints it and
    exits non-zero without writing a page.
    """

    def __init__(self, path, problem, hint=None):
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        text = f"{self.path}: {problem}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)
