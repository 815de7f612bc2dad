"""One process-wide registry of trained models and trainings, shared by every browser session.

A model is identified by its `ModelKey`: shipped with the app, trained in the page (on a corpus, with
a config and its seed) or loaded from a file. Asking for a key that is being trained or waiting
returns that same job, so two sessions never train the same model twice.
At most `max_running` trainings run at a time (one by default: a 2-core server has no room for more);
the others wait in order and can show their position. A training starts only if `check_room` finds
the memory it needs (else it is refused, never started to be killed for want of memory halfway).
"""

from __future__ import annotations

import hashlib
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from rnn_demo.data.corpus import SentencePair
from rnn_demo.training.config import Progress, TrainConfig, TrainedModel, Watched
from rnn_demo.training.memory import NotEnoughMemory
from rnn_demo.training.train import train
from rnn_demo.training.translators import sized_name


@dataclass(frozen=True)
class ModelKey:
    """Which model this is. Build one with `shipped`, `trained` or `from_file`."""

    origin: str  # "shipped", "trained" (in the page) or "file" (loaded from a model file)
    name: str = ""  # shipped: its id in training/translators.py ("rnn", "bottleneck_rnn"...); file: a digest
    corpus_key: str = ""  # trained: the corpus it learned from (its key names the data)
    config: TrainConfig | None = None  # trained: its settings and seed

    @classmethod
    def shipped(cls, name: str) -> ModelKey:
        return cls("shipped", name)

    @classmethod
    def trained(cls, corpus_key: str, config: TrainConfig) -> ModelKey:
        """The same settings on other data are another model."""
        return cls("trained", corpus_key=corpus_key, config=config)

    @classmethod
    def from_file(cls, data: bytes) -> ModelKey:
        return cls("file", hashlib.sha256(data).hexdigest()[:16])

    def trained_on(self, corpus_key: str) -> bool:
        return self.origin == "trained" and self.corpus_key == corpus_key

    @property
    def description(self) -> str:
        """What a page calls a model trained in the page: its kind and width."""
        if self.config is None:
            return self.name
        return sized_name(self.config)


# (training pairs, held-out pairs) of an uploaded corpus; None: the phrasebook, generated from the config
TrainingData = tuple[list[SentencePair], list[SentencePair]] | None
TrainFunction = Callable[
    [TrainConfig, Callable[[Progress], None], threading.Event, TrainingData, tuple[Watched, ...]],
    TrainedModel,
]


def _default_train(
    config: TrainConfig,
    on_progress: Callable[[Progress], None],
    stop: threading.Event,
    data: TrainingData,
    watch: tuple[Watched, ...],
) -> TrainedModel:
    return train(config, on_progress=on_progress, stop=stop, data=data, watch=watch)


@dataclass
class Job:
    key: ModelKey
    config: TrainConfig
    data: TrainingData = None  # let go of once the training ends
    watch: tuple[Watched, ...] = ()  # translated at every check: every session watching sees the same
    status: str = "waiting"  # waiting, running, done, stopped, failed, refused (not enough memory)
    history: list[Progress] = field(default_factory=list)
    result: TrainedModel | None = None
    error: str | None = None  # why it failed or was refused, or why the server stopped it early
    requests: int = 1  # how many times the job was asked for (sessions, reruns)
    created: float = field(default_factory=time.monotonic)
    stop_flag: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def active(self) -> bool:
        return self.status in ("waiting", "running")

    @property
    def latest(self) -> Progress | None:
        return self.history[-1] if self.history else None

    def stop(self) -> None:
        """Ask the training to end; it keeps what it learned so far (within a second)."""
        self.stop_flag.set()


class QueueFull(RuntimeError):
    """Too many trainings wait already: a hosted server must not let visitors pile up work."""


class Registry:
    def __init__(
        self,
        train_function: TrainFunction = _default_train,
        max_running: int = 1,
        max_waiting: int = 5,
        check_room: Callable[[], None] = lambda: None,
    ) -> None:
        self._train = train_function
        self._check_room = check_room  # raises NotEnoughMemory when a training would not fit
        self._max_running = max_running
        self.max_waiting = max_waiting
        self._lock = threading.Condition()
        self._jobs: dict[ModelKey, Job] = {}
        self._models: dict[ModelKey, TrainedModel] = {}
        self._waiting: list[Job] = []
        self._running = 0
        self.trainings_started = 0  # how many trainings actually ran, for tests and the load test

    def add_model(self, key: ModelKey, trained: TrainedModel) -> None:
        """Register a model that needs no training (a shipped or uploaded checkpoint)."""
        with self._lock:
            self._models[key] = trained

    def keys(self) -> list[ModelKey]:
        """The keys of every model there is, in the order they arrived."""
        with self._lock:
            return list(self._models)

    def last_rate(self, vocabulary: str) -> float | None:
        """Target tokens per second of the last finished training with this kind of vocabulary."""
        with self._lock:
            jobs = [
                job
                for job in self._jobs.values()
                if job.status == "done" and job.config.vocabulary == vocabulary
            ]
        return jobs[-1].history[-1].tokens_per_second if jobs and jobs[-1].history else None

    def trained_on(self, corpus_key: str) -> dict[ModelKey, TrainedModel]:
        """Every model trained in the page on this corpus, by anyone, in the order they arrived."""
        with self._lock:
            return {key: model for key, model in self._models.items() if key.trained_on(corpus_key)}

    def model(self, key: ModelKey) -> TrainedModel | None:
        with self._lock:
            return self._models.get(key)

    def job(self, key: ModelKey) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def request(
        self, key: ModelKey, config: TrainConfig, data: TrainingData = None, watch: tuple[Watched, ...] = ()
    ) -> Job:
        """The job that trains `key`: the existing one if it is waiting, running or done; else a new one.

        The key must name the data too (an uploaded corpus's digest), since a job found by key is
        not trained again. A failed or stopped job is replaced, so asking again retries. `watch`: the
        sentences the training translates at every check (those of the session that asks first). Raises
        QueueFull when a new training would wait behind `max_waiting` others, and NotEnoughMemory when
        it would start now and not fit (one that waits is checked when its turn comes).
        """
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and (job.active or job.status == "done"):
                job.requests += 1
                return job
            if len(self._waiting) >= self.max_waiting:
                raise QueueFull(f"{len(self._waiting)} trainings are already waiting")
            room_checked = not self._waiting and self._running < self._max_running  # it starts now
            if room_checked:
                self._check_room()
            job = Job(key, config, data, tuple(watch))
            self._jobs[key] = job
            self._waiting.append(job)
            threading.Thread(
                target=self._run, args=(job, room_checked), name=f"training-{len(self._jobs)}", daemon=True
            ).start()
            return job

    def position(self, job: Job) -> int:
        """0 if the job is running or over; n if n-1 other trainings wait before it."""
        with self._lock:
            return self._waiting.index(job) + 1 if job in self._waiting else 0

    def _run(self, job: Job, room_checked: bool) -> None:
        with self._lock:
            while self._running >= self._max_running or self._waiting[0] is not job:
                if job.stop_flag.is_set():  # stopped before it began: nothing was learned
                    self._waiting.remove(job)
                    job.status = "stopped"
                    job.finished.set()
                    self._lock.notify_all()
                    return
                self._lock.wait(timeout=0.2)
            self._waiting.remove(job)
            try:
                if not room_checked:  # it waited: the memory left may have changed since
                    self._check_room()
            except NotEnoughMemory as error:
                job.status, job.error = "refused", str(error)
                job.finished.set()
                self._lock.notify_all()
                return
            self._running += 1
            self.trainings_started += 1
            job.status = "running"
        try:
            trained = self._train(job.config, job.history.append, job.stop_flag, job.data, job.watch)
        except Exception as error:  # any failure is reported to the user; the previous model stays
            job.error = f"{type(error).__name__}: {error}"
            job.status = "failed"
            traceback.print_exc()
        else:
            with self._lock:
                self._models[job.key] = trained
            job.result = trained
            job.status = "stopped" if trained.stopped_early else "done"
            job.error = trained.stop_reason  # the server's memory ran short, if that stopped it
        finally:
            job.data = None
            with self._lock:
                self._running -= 1
                self._lock.notify_all()
            job.finished.set()
