"""nbgrader's settings for grading the course (``make assignments``, ``make autograde``).

nbgrader reads this file when it runs in ``grading/`` (INSTRUCTORS.md, "Grading a class"). The
grading tools live in their own environment, ``.venv-grading`` (``grading/requirements.lock``), so
that students' ``make lab`` never shows nbgrader's menus; the notebooks themselves run in the
course's environment through the ``cnn-course`` kernel that ``make assignments`` registers.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (nbgrader defines get_config when it loads this file)

HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "cnn-course"
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'gradebook.db'}"
c.GenerateAssignment.create_assignment = True

# A shared server's exchange directory (release_assignment / collect). Students and instructors
# need read and write access to it; override with NBGRADER_EXCHANGE=/path.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")

# Released stubs read exactly like the course's own (see CONTRIBUTING.md, "Exercises").
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# LMS downloads for `nbgrader zip_collect`: files named <student id>__<notebook>.ipynb (two
# underscores), e.g. s2026001__02_stride_padding.ipynb, inside grading/downloaded/<notebook>/archive/.
c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[A-Za-z0-9.-]+)__(?P<file_id>[0-9]{2}_\w+\.ipynb)$"

# The kernel: the course's environment (kernel.json written by `make assignments`).
c.Execute.kernel_name = "cnn-course"
# Per-cell limit: CI's budget is 90 s a cell; a student's endless loop is interrupted after this
# and the cell counts as an error (no points), the rest of the notebook still runs.
c.Execute.timeout = int(os.environ.get("GRADING_CELL_TIMEOUT", "120"))
c.Execute.interrupt_on_timeout = True

# What the kernel runs with (it inherits this process's environment):
# - the CI profile: small data, every notebook in well under a minute;
# - strict checkers: a failing check raises AssertionError with its message and hint, so the
#   graded cell shows the error and scores 0; a student's own exception is caught by the
#   checker and reported the same way, and any other failing cell only fails itself (nbgrader
#   runs on past errors);
# - no warnings: nbgrader scores a graded cell that writes to stderr as 0, so a library's
#   warning must not cost a correct answer its points; no progress bars (also stderr);
# - one thread: 30 submissions graded side by side give the same numbers as one.
KERNEL_ENV = {
    "COURSE_PROFILE": "ci",
    "COURSE_STRICT_CHECKS": "1",
    "COURSE_STATIC_WIDGETS": "1",
    "COURSE_QUIET": "1",
    "PYTHONWARNINGS": "ignore",
    "MPLBACKEND": "agg",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
os.environ.update(KERNEL_ENV)
