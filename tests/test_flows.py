"""How values flow in real pool code (issue 15's forms), one row per form or trap.

Each row is a module with `# expect: CODE` at the end of the lines that must report CODE, and
the codes the row is about: exactly the expected (line, code) pairs of those codes are found,
none elsewhere. A trap expects nothing of its codes.
"""
from __future__ import annotations

import textwrap
from typing import Set, Tuple

import pytest

import poolcompat
from tests._expect import EXPECT

TPE = "from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor\n"
MP = "import multiprocessing\n"


def _expected(source: str) -> Set[Tuple[int, str]]:
    found = set()
    for number, line in enumerate(source.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            found |= {(number, code.strip()) for code in match.group(1).split(",")}
    return found


def _row(head: str, body: str, *codes: str, id: str) -> object:
    return pytest.param(head + textwrap.dedent(body), codes, id=id)


ROWS = [
    # 1. joins and rebinding
    _row(TPE, """
        def run(n):
            with ThreadPoolExecutor() as ex:
                ex.submit(abs, 1)  # expect: PCP154
            with ProcessPoolExecutor() as ex:
                ex.submit(abs, 1)  # expect: PCP154
    """, "PCP154", id="join-two-executors"),
    _row(TPE, """
        for cls in (ThreadPoolExecutor, ProcessPoolExecutor):
            cls(max_workers=1)  # expect: PCP250, PCP255
    """, "PCP250", "PCP255", id="loop-over-classes"),
    _row(TPE, """
        ex = ThreadPoolExecutor() if fast else open("f")
        ex.submit(abs, 1)
    """, "PCP154", id="trap-join-with-a-file"),
    _row(MP, """
        def collect(pool):
            results = []
            for x in range(3):
                results.append(pool.apply_async(abs, (x,)))
            results = [r.get() for r in results]  # expect: PCP111
            return [r.get() for r in results]
        collect(multiprocessing.Pool())
        def straight():
            ex = multiprocessing.Pool()
            ex.close()  # expect: PCP108
            ex = open("f")
            ex.close()
            if ex:
                ex = multiprocessing.Pool()
            else:
                ex = multiprocessing.Pool(2)
            ex.close()  # expect: PCP108
            try:
                ex = open("g")
            except OSError:
                return
            ex.close()
    """, "PCP108", "PCP111", id="rebinding"),
    _row(MP, """
        def loop():
            ex = multiprocessing.Pool()
            for i in range(3):
                ex.close()
                ex = open("f")
            while True:
                pool = multiprocessing.Pool()
                if pool:
                    pool = open("f")
                    break
            pool.close()
        def branch(flag):
            ex = multiprocessing.Pool()
            if flag:
                ex = open("f")
            ex.close()
            try:
                ex = multiprocessing.Pool()
                ex = open("f")
            except OSError:
                ex.close()
            def inner():
                ex.close()
            ex = multiprocessing.Pool()
            inner()
        def matched(thing):
            ex = multiprocessing.Pool()
            match thing:
                case 1:
                    ex = open("f")
            ex.close()
        ex = multiprocessing.Pool()
        def rebind():
            global ex
            ex = open("f")
        rebind()
        ex.close()
    """, "PCP108", id="trap-rebinding"),
    # 2. containers
    _row(MP, """
        pool = multiprocessing.Pool()
        results = []
        for x in range(3):
            results.append(pool.apply_async(abs, (x,)))
        total = [r.get() for r in results]  # expect: PCP111
        for r in results:
            r.wait()  # expect: PCP112
    """, "PCP111", "PCP112", id="list-append"),
    _row(MP, """
        results = [multiprocessing.Pool().apply_async(abs, (1,))]
        results.append(object())
        results[0].get()
    """, "PCP111", id="trap-list-with-something-else"),
    _row(TPE, """
        import collections
        pending = collections.deque()
        pending.append(ThreadPoolExecutor().submit(abs, 1))
        pending.popleft().cancel()  # expect: PCP157
        seen = set()
        seen.add(ThreadPoolExecutor().submit(abs, 1))
        for f in seen:
            f.done()  # expect: PCP160
    """, "PCP157", "PCP160", id="deque-and-set"),
    _row(TPE, """
        import collections
        class Worker:
            def __init__(self):
                self.pool = ThreadPoolExecutor(1)
                self.futures = collections.deque([], 2)
            def submit(self, fn):
                futures = self.futures
                if len(futures) == futures.maxlen:
                    running = futures.popleft()
                    if not running.done():  # expect: PCP160
                        waiting = futures.pop()
                        waiting.cancel()  # expect: PCP157
                    futures.appendleft(running)
                waiting = self.pool.submit(fn)
                futures.append(waiting)
                return waiting
    """, "PCP157", "PCP160", id="container-filled-from-itself"),
    _row(TPE, """
        import collections
        def drain(pool, items):
            queue = collections.deque(items)
            head = queue.popleft()
            head.done()
            queue.append(pool.submit(abs, 1))
            queue.append(head.done())
            queue.pop().cancel()
        drain(ThreadPoolExecutor(), [])
    """, "PCP157", "PCP160", id="trap-container-filled-from-itself-and-else"),
    _row(TPE, """
        executors = {}
        executors["io"] = ThreadPoolExecutor(4)
        for ex in executors.values():
            ex.shutdown(cancel_futures=True)  # expect: PCP266
        for name, ex in executors.items():
            ex.shutdown(cancel_futures=True)  # expect: PCP266
        executors.get("io").shutdown(cancel_futures=True)  # expect: PCP266
        executors.pop("io").shutdown(cancel_futures=True)  # expect: PCP266
        executors.setdefault("cpu", ThreadPoolExecutor()).shutdown(cancel_futures=True)  # expect: PCP266
        for key in executors:
            key.shutdown(cancel_futures=True)
    """, "PCP266", id="dict-of-executors"),
    _row(TPE, """
        from collections import defaultdict
        lazy = defaultdict(ThreadPoolExecutor)
        lazy["a"].shutdown(cancel_futures=True)  # expect: PCP266
        nested = defaultdict(dict)
        nested["a"]["b"] = ThreadPoolExecutor(1)
        for ex in nested.pop("a").values():
            ex.shutdown(cancel_futures=True)  # expect: PCP266
    """, "PCP266", id="defaultdict"),
    _row(MP, """
        CONTEXTS = {"mp": {"spawn": multiprocessing.get_context("spawn")}, "other": object}
        CONTEXTS["more"] = {"fork": multiprocessing.get_context("fork")}
        CONTEXTS["mp"]["spawn"].Process  # expect: PCP500
        CONTEXTS["more"]["fork"].Process  # expect: PCP500
        CONTEXTS["other"].Process
    """, "PCP500", id="dict-of-contexts-filled-by-key"),
    _row(MP, """
        CONTEXTS = {"spawn": multiprocessing.get_context("spawn")}
        CONTEXTS[name] = object
        CONTEXTS["spawn"].Process
        SAME = {"spawn": multiprocessing.get_context("spawn")}
        SAME["spawn"] = object
        SAME["spawn"].Process
    """, "PCP500", id="trap-dict-filled-by-unknown-key"),
    _row(TPE, """
        def gather(mounts, ex):
            results = {}
            for mount in mounts:
                results[mount] = {"info": {"mount": mount}, "limit": 3.0}
                results[mount]["extra"] = ex.submit(len, mount)
                results[mount]["info"]["uuid"] = "n/a"
            for mount in list(results):
                results[mount]["extra"].done()  # expect: PCP160
                results[mount]["info"].done()
                results[mount]["limit"].done()
        gather([], ThreadPoolExecutor())
    """, "PCP160", id="nested-dicts-by-key"),
    _row(TPE, """
        def gather(mounts, ex):
            results = {}
            for mount in mounts:
                results[mount] = {"extra": ex.submit(len, mount)}
                results[mount][mount] = "n/a"
                results[mount]["extra"].done()
        gather([], ThreadPoolExecutor())
    """, "PCP160", id="trap-nested-dict-unknown-key"),
    # 3. what the APIs return
    _row(TPE, """
        from concurrent.futures import as_completed, wait
        with ThreadPoolExecutor() as ex:
            fs = [ex.submit(abs, i) for i in range(3)]
        for f in as_completed(fs):
            f.result()  # expect: PCP161
        done, pending = wait(fs)
        for f in done:
            f.exception()  # expect: PCP162
    """, "PCP161", "PCP162", id="as-completed-and-wait"),
    _row("", """
        from multiprocessing import Pipe
        parent, child = Pipe()
        with parent:  # expect: PCP303
            child.send(1)
    """, "PCP303", id="pipe-pair"),
    # 4. tuples from functions
    _row(MP, """
        def make():
            return multiprocessing.Pool(2), multiprocessing.Queue()
        pool, queue = make()
        pool.starmap(divmod, [(1, 2)])  # expect: PCP102
        queue.starmap(divmod, [(1, 2)])
    """, "PCP102", id="tuple-from-a-function"),
    # 5. decorated functions
    _row(TPE, """
        import contextlib, functools
        class Holder:
            @property
            def pool(self):
                return ThreadPoolExecutor(1)
            @functools.cached_property
            def cached(self):
                return ThreadPoolExecutor(1)
            @functools.lru_cache(maxsize=None)
            def make(self):
                return ThreadPoolExecutor(1)
            @staticmethod
            def static():
                return ThreadPoolExecutor(1)
        h = Holder()
        h.pool.shutdown(cancel_futures=True)  # expect: PCP266
        h.cached.shutdown(cancel_futures=True)  # expect: PCP266
        h.make().shutdown(cancel_futures=True)  # expect: PCP266
        Holder.static().shutdown(cancel_futures=True)  # expect: PCP266
        @contextlib.contextmanager
        def scope():
            ex = ThreadPoolExecutor(1)
            yield ex
            ex.shutdown(cancel_futures=True)  # expect: PCP266
        with scope() as ex:
            ex.shutdown(cancel_futures=True)  # expect: PCP266
    """, "PCP266", id="decorators"),
    _row(TPE, """
        import contextlib
        @contextlib.contextmanager
        def guarded(pool):
            with pool as entered:
                yield entered
                entered.shutdown(cancel_futures=True)  # expect: PCP266
        with guarded(ThreadPoolExecutor()) as ex:
            ex.shutdown(cancel_futures=True)  # expect: PCP266
        @contextlib.contextmanager
        def anything(thing):
            with thing as entered:
                yield entered
                entered.shutdown(cancel_futures=True)
        with anything(ThreadPoolExecutor()) as unused:
            pass
        with anything(open("f")) as other:
            other.shutdown(cancel_futures=True)
    """, "PCP266", id="contextmanager-parameter"),
    _row(TPE, """
        from concurrent.futures import Executor
        import abc
        class Runner(abc.ABC):
            @abc.abstractmethod
            def _executor(self) -> Executor | None:
                pass
            def run(self):
                pool = self._executor()
                if pool is None:
                    return
                with pool as ex:  # expect: PCP330
                    ex.submit(abs, 1)  # expect: PCP154
        def made() -> "ThreadPoolExecutor":
            return make_it()
        made().shutdown()  # expect: PCP156
        async def later() -> ThreadPoolExecutor:
            return ThreadPoolExecutor()
        later().shutdown()
        def nothing() -> None:
            return ThreadPoolExecutor()
        nothing().shutdown()
    """, "PCP154", "PCP156", "PCP330", id="return-annotation"),
    _row(TPE, """
        import some_library
        from concurrent.futures import Future
        @some_library.deprecated_class("old")
        class OldFuture(Future):
            pass
        class Runner:
            def __init__(self, old):
                self._future_cls = OldFuture if old else Future
            def _submit(self):
                fut = self._future_cls()
                return fut
        class Pooled:
            def __init__(self):
                self._pool = ThreadPoolExecutor()
            def _submit(self):
                return self._pool.submit(abs, 1)
        class Gatherer:
            def __init__(self, submit):
                self._submit = submit
            def submit(self):
                self._submit().cancel()  # expect: PCP157
        Gatherer(Runner(True)._submit)
        Gatherer(Pooled()._submit)
        Gatherer(ThreadPoolExecutor().submit)
    """, "PCP157", id="one-function-or-another"),
    _row(TPE, """
        from concurrent.futures import Future
        class OwnInit(Future):
            def __init__(self, name):
                super().__init__()
            def cancel(self):
                return False
        def pick(flag):
            cls = OwnInit if flag else Future
            cls().cancel()  # expect: PCP157
            cls(name="x")
            mine = OwnInit if flag else OwnInit
            mine().set_result(1)  # expect: PCP165
            mine().cancel()
        class Gatherer:
            def __init__(self, submit):
                self._submit = submit
            def submit(self):
                self._submit().cancel()
        Gatherer(ThreadPoolExecutor().submit)
        Gatherer(lambda: open("f"))
        def other():
            return 3
        Gatherer(other)
    """, "PCP157", "PCP165", id="one-function-or-another-traps"),
    _row(TPE, """
        import functools
        def transparent(f):
            @functools.wraps(f)
            def inner(*args, **kwargs):
                return f(*args, **kwargs)
            return inner
        def opaque(f):
            def inner(*args, **kwargs):
                return [f(*args, **kwargs)]
            return inner
        @transparent
        def good():
            return ThreadPoolExecutor(1)
        @opaque
        def bad():
            return ThreadPoolExecutor(1)
        good().shutdown(cancel_futures=True)  # expect: PCP266
        bad().shutdown(cancel_futures=True)
    """, "PCP266", id="user-decorators"),
    # 6. arguments that reach a callable later
    _row(TPE, """
        import atexit, contextlib, functools, weakref
        functools.partial(ProcessPoolExecutor, max_workers=2)(max_tasks_per_child=4)  # expect: PCP259
        OPTIONS = {"max_tasks_per_child": 4}
        ProcessPoolExecutor(**OPTIONS)  # expect: PCP259
        ex = ThreadPoolExecutor(2)
        atexit.register(ex.shutdown, cancel_futures=True)  # expect: PCP266
        weakref.finalize(ex, ex.shutdown, cancel_futures=True)  # expect: PCP266
        with contextlib.ExitStack() as stack:
            stack.callback(ex.shutdown, cancel_futures=True)  # expect: PCP266
    """, "PCP259", "PCP266", id="arguments-later"),
    _row(MP, """
        import multiprocessing.pool
        class Pickling(multiprocessing.pool.Pool):  # expect: PCP116
            def __init__(self, processes=None, **kwargs):
                poolargs = dict(processes=processes)
                poolargs.update(kwargs)
                poolargs["initargs"] = ()
                super().__init__(**poolargs)  # expect: PCP206
        def make(**kwargs):
            options = {"initargs": ()}
            options.setdefault("processes", 2)
            return multiprocessing.pool.Pool(**options)  # expect: PCP116, PCP208
    """, "PCP206", "PCP208", "PCP116", id="kwargs-dict-that-grows"),
    _row(MP, """
        import multiprocessing.pool
        def make(processes, **kwargs):
            poolargs = dict(processes=processes)
            poolargs.pop("processes")
            multiprocessing.pool.Pool(**poolargs)
            other = dict(kwargs, processes=processes)
            multiprocessing.pool.Pool(**other)
    """, "PCP206", id="trap-kwargs-dict-that-shrinks"),
    _row(TPE, """
        class Pool(ProcessPoolExecutor):
            def __init__(self, n):
                super().__init__(max_workers=n, mp_context=None)  # expect: PCP256
            def shutdown(self, wait=True):
                super().shutdown(cancel_futures=True)  # expect: PCP266
        class Other:
            def shutdown(self):
                super().shutdown(cancel_futures=True)
    """, "PCP256", "PCP266", id="super"),
    # 7. literal dynamic lookups
    _row(MP + TPE, """
        import importlib, pytest
        getattr(multiprocessing, "parent_process")()  # expect: PCP504
        getattr(ThreadPoolExecutor(), "shutdown")(cancel_futures=True)  # expect: PCP266
        importlib.import_module("multiprocessing.shared_memory")  # expect: PCP900
        pytest.importorskip("multiprocessing.shared_memory")  # expect: PCP900
        getattr(multiprocessing, name)()
    """, "PCP504", "PCP266", "PCP900", id="dynamic-lookups"),
    # 9. annotations as people write them
    _row(TPE, """
        from typing import Dict, Iterable, Optional, Type
        from concurrent.futures import Executor, Future
        def a(f: Future[int], g: "Future[int]", h: Optional[Future], i: "Future | None"):
            f.result(), g.result(), h.result(), i.result()  # expect: PCP161
        def b(fs: list[Future[int]], more: Iterable[Future], by_name: Dict[str, Executor]):
            [f.result() for f in fs]  # expect: PCP161
            [f.done() for f in more]  # expect: PCP160
            [e.shutdown(cancel_futures=True) for e in by_name.values()]  # expect: PCP266
        def c(cls: Type[ProcessPoolExecutor], other: type[ThreadPoolExecutor]):
            cls(mp_context=None)  # expect: PCP256
            other(thread_name_prefix="x")  # expect: PCP252
        class MyFuture(Future[int]):
            pass
        MyFuture().result()  # expect: PCP161
    """, "PCP161", "PCP160", "PCP266", "PCP256", "PCP252", id="annotations"),
    _row(TPE, """
        from concurrent.futures import Future
        from typing import TypeVar
        T = TypeVar("T")
        try:
            FutureType = Future[T]
        except TypeError:
            FutureType = Future
        class MyFuture(FutureType):
            pass
        MyFuture().result()  # expect: PCP161
        MyFutureType = MyFuture[T]
        class Child(MyFutureType):
            pass
        Child().exception()  # expect: PCP162
        Child[int]().result()  # expect: PCP161
    """, "PCP161", "PCP162", id="generic-alias-as-base"),
    _row(TPE, """
        from typing import TypeVar
        T = TypeVar("T")
        Alias = unknown_generic[T]
        class Mine(Alias):
            pass
        Mine().result()
        Items = {"a": ThreadPoolExecutor()}
        Other = [Items][0]["b"]
        class Mixed(Other):
            pass
        Mixed().exception()
    """, "PCP161", "PCP162", id="trap-subscript-of-unknown"),
    # 10. unannotated parameters
    _row(TPE, """
        def run(executor_cls=ThreadPoolExecutor):
            with executor_cls(initializer=None) as ex:  # expect: PCP253
                return ex.submit(abs, 1)  # expect: PCP154
        def drain(pool):
            pool.shutdown(cancel_futures=True)  # expect: PCP266
        drain(ThreadPoolExecutor())
        drain(ProcessPoolExecutor())
        def anything(obj):
            obj.shutdown(cancel_futures=True)
        anything(ThreadPoolExecutor())
        anything(object())
        def stored(pool):
            pool.shutdown(cancel_futures=True)
        stored(ThreadPoolExecutor())
        HANDLERS = [stored]
    """, "PCP253", "PCP154", "PCP266", id="parameters"),
    _row(TPE, """
        import functools
        class Job:
            def start(self):
                future = ThreadPoolExecutor().submit(abs, 1)
                future.add_done_callback(self._done)
                future.add_done_callback(functools.partial(report, "job"))
            def _done(self, fut):
                fut.result()  # expect: PCP161
        def report(name, fut):
            fut.exception()  # expect: PCP162
    """, "PCP161", "PCP162", id="done-callbacks"),
    _row(MP, """
        class PoolUser:
            def stop(self):
                self._pool.close()  # expect: PCP108
        class Worker(PoolUser):
            def __init__(self):
                self._pool = multiprocessing.Pool(1)
        class Other:
            def stop(self):
                self._pool.close()
        class Mixed(Other):
            def __init__(self):
                self._pool = open("f")
    """, "PCP108", id="mixin"),
    _row(MP, """
        from multiprocessing.pool import ThreadPool
        class PoolUser:
            def __init__(self):
                self._pool = None
            def stop(self):
                if self._pool is not None:
                    self._pool.terminate()  # expect: PCP109
        class Threads(PoolUser):
            def start(self):
                self._pool = ThreadPool(2)
        class MyPool(multiprocessing.pool.Pool):
            def terminate(self):
                pass
        class Processes(PoolUser):
            def start(self):
                self._pool = MyPool(2)
    """, "PCP109", id="mixin-that-sets-none"),
    _row(MP, """
        class PoolUser:
            def __init__(self):
                self._pool = None
            def stop(self):
                self._pool.terminate()
        class Threads(PoolUser):
            def start(self):
                self._pool = multiprocessing.Pool(2)
        class Files(PoolUser):
            def start(self):
                self._pool = open("f")
        class Alone:
            def __init__(self):
                self._pool = None
            def stop(self):
                self._pool.terminate()
    """, "PCP109", id="trap-mixin-subclass-sets-other"),
    _row(TPE, """
        from concurrent.futures import Executor
        class Dummy(Executor):
            def shutdown(self, wait=True):
                pass
        def run(executor=None):
            chosen = executor if executor is not None else Dummy()
            chosen.shutdown()  # expect: PCP156
        run(ThreadPoolExecutor())
        other = Dummy() if flag else object()
        other.shutdown()
        mine = Dummy()
        mine.shutdown()
    """, "PCP156", id="join-subclass-with-stdlib"),
    _row("", """
        import os
        mp = int(os.environ.get("USE_MP", 1)) or None
        if mp:
            try:
                import multiprocessing as mp
            except ImportError:
                mp = 0
        mp.parent_process()  # expect: PCP504
        text = "abc" or None
        if text:
            import multiprocessing as text
        text.parent_process()
    """, "PCP504", id="number-or-module"),
    _row(TPE, """
        from concurrent.futures import Executor
        def submit_to(scheduler, fn):
            if isinstance(scheduler, Executor):
                return scheduler.submit(fn)  # expect: PCP154
            return scheduler.submit(fn)
    """, "PCP154", id="isinstance"),
    _row(MP, """
        import multiprocessing.pool
        class Adaptor:
            def __init__(self, pool):
                self.pool = pool
            def submit(self, fn):
                return self.pool.apply_async(fn)  # expect: PCP101
        def get(pool=None):
            if isinstance(pool, multiprocessing.pool.Pool):
                pool = Adaptor(pool)
            return pool
        class Other:
            def __init__(self, thing):
                thing.apply_async(abs)
        def elsewhere(thing):
            if not isinstance(thing, multiprocessing.pool.Pool):
                Other(thing)
    """, "PCP101", id="isinstance-before-a-call"),
    # 11. stdlib spellings
    _row(MP, """
        import multiprocessing.context
        multiprocessing.context.Process(target=abs).kill()  # expect: PCP501
    """, "PCP501", id="submodule-spelling"),
]


@pytest.mark.parametrize(("source", "codes"), ROWS)
def test_flow(source: str, codes: Tuple[str, ...]) -> None:
    report = poolcompat.check_source(source, path="case.py")
    assert not report.errors, report.errors
    found = {(f.line, f.code) for f in report.findings if f.code in codes}
    assert sorted(found) == sorted(_expected(source))
