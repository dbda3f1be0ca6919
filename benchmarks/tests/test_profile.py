"""The profiler charges each ``perf`` sample to the innermost Python function on its stack (its
native callees included), else to the native library it ran in, and turns the shares into µs
of CPU a request."""

from __future__ import annotations

from collections import Counter

from benchmarks.profile import by_package, charge, profile, samples, short, table

SITE = "/work/main/.venv/lib/python3.12/site-packages"
LIBPY = "/root/.pyenv/versions/3.12.1/lib/libpython3.12.so.1.0"
LOGGER = "py::HotPathLogger.info:/work/main/libs/logging/src/platform_logging/hotpath.py"
DISPATCH = "py::FastTaskRoutes.__call__:/work/main/services/task-manager/src/task_manager/tasks/fastpath.py"

# Four samples, as `perf script` prints them (innermost frame first, a blank line after each):
# a write syscall under the access logger, the interpreter under a route, asyncpg's protocol
# called by the loop with no Python frame, and the kernel alone.
SCRIPT = f"""\
gunicorn 22098 83833.438164:     500250 cpu-clock:
\t    ffffffff8100 vfs_write+0x12 ([kernel.kallsyms])
\t          1a5252 _Py_write+0x52 ({LIBPY})
\t          1a5300 {LOGGER}+0x5 ([JIT] tid 22098)
\t          1a5400 _PyEval_EvalFrameDefault+0x99 ({LIBPY})
\t          1a5500 {DISPATCH}+0x5 ([JIT] tid 22098)

gunicorn 22098 83833.438664:     500250 cpu-clock:
\t          1a5400 _PyEval_EvalFrameDefault+0x99 ({LIBPY})
\t          1a5500 {DISPATCH}+0x5 ([JIT] tid 22098)

gunicorn 22098 83833.439164:     500250 cpu-clock:
\t           74831 __pyx_f_decode_row+0x2b1 (inlined)
\t           7579f __pyx_f_BaseProtocol__decode_row+0xf ({SITE}/asyncpg/protocol/protocol.so)
\t          137ef6 __pyx_f_6uvloop_run_in_context1+0x2d6 ({SITE}/uvloop/loop.so)

gunicorn 22098 83833.439664:     500250 cpu-clock:
\t    ffffffff8200 finish_task_switch.isra.0+0x1 ([kernel.kallsyms])
"""


def test_each_sample_is_parsed_with_its_frames_innermost_first() -> None:
    stacks = list(samples(SCRIPT.splitlines()))
    assert [len(s) for s in stacks] == [5, 2, 3, 1]
    assert stacks[0][0].symbol == "vfs_write"
    assert stacks[0][2].symbol == LOGGER


def test_a_sample_is_charged_to_its_innermost_python_function_else_its_library() -> None:
    charged = [charge(s) for s in samples(SCRIPT.splitlines())]
    assert charged == [
        LOGGER.removeprefix("py::"),  # the syscall under the logger is the logger's
        DISPATCH.removeprefix("py::"),
        "native: asyncpg",  # the inlined frame has no library: the next one's
        "native: kernel",
    ]


def test_shares_become_microseconds_a_request_and_packages_sum_them() -> None:
    costs = profile(SCRIPT.splitlines(), us_per_request=800.0)
    assert sum(costs.values()) == 800.0
    assert costs[DISPATCH.removeprefix("py::")] == 200.0
    packages = by_package(costs)
    assert packages == {
        "libs/logging": 200.0,
        "services/task-manager": 200.0,
        "asyncpg (C)": 200.0,
        "kernel": 200.0,
    }


def test_the_table_lists_the_largest_differences_first_and_the_totals() -> None:
    service = Counter({"a": 50.0, "b": 10.0})
    ceiling = Counter({"b": 30.0, "c": 5.0})
    rows = table(service, ceiling, top=2, what="function")
    assert rows[2] == "| `a` | 50.0 | 0.0 | +50.0 |"
    assert rows[3] == "| `b` | 10.0 | 30.0 | -20.0 |"
    assert rows[-1] == "| all | 60 | 35 | +25 |"


def test_functions_are_named_by_their_path_within_their_package() -> None:
    assert short(LOGGER.removeprefix("py::")) == "HotPathLogger.info:platform_logging/hotpath.py"
    assert short(f"Pool.release:{SITE}/asyncpg/pool.py") == "Pool.release:asyncpg/pool.py"
    stdlib = "Runner.run:/root/.pyenv/versions/3.12.1/lib/python3.12/asyncio/runners.py"
    assert short(stdlib) == "Runner.run:asyncio/runners.py"
    assert short("native: kernel") == "native: kernel"
