"""The shared registry: one training per key however many ask, one at a time, failures reported."""

import threading
import time
from dataclasses import replace

import pytest

from rnn_demo.data.corpus import generate_pairs
from rnn_demo.training.config import PRESETS, Progress, TrainedModel
from rnn_demo.training.registry import ModelKey, QueueFull, Registry

CONFIG = PRESETS["tiny"]
WAIT_S = 10  # how long any wait here may take: each ends within milliseconds when the code is right


def wait_until_running(job) -> None:
    deadline = time.monotonic() + WAIT_S
    while job.status != "running":
        assert time.monotonic() < deadline, f"the job did not start within {WAIT_S} s: {job.status}"
        time.sleep(0.01)


def trained_key(seed: int) -> ModelKey:
    return ModelKey.trained("phrasebook", replace(CONFIG, seed=seed))


class FakeTraining:
    """Stands in for train(): records its calls and finishes when told to."""

    def __init__(self, fail: bool = False):
        self.calls = []
        self.release = threading.Event()
        self.fail = fail
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def __call__(self, config, on_progress, stop, data, watch):
        with self.lock:
            self.calls.append((config, data))
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        on_progress(Progress(1, 0.1, 2.0, None, 100.0, 0.1, 5.0))
        assert self.release.wait(timeout=WAIT_S), "the test never released the training"
        with self.lock:
            self.running -= 1
        if self.fail:
            raise RuntimeError("out of memory")
        return TrainedModel(
            model=None, source_vocab=None, target_vocab=None, config=config, stopped_early=stop.is_set()
        )


def test_many_sessions_asking_at_once_train_once_and_all_get_the_model():
    fake = FakeTraining()
    registry = Registry(fake)
    jobs = []
    barrier = threading.Barrier(30)

    def ask():
        barrier.wait(timeout=WAIT_S)
        jobs.append(registry.request(ModelKey.trained("phrasebook", CONFIG), CONFIG))

    threads = [threading.Thread(target=ask) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT_S)
    assert len(jobs) == 30
    fake.release.set()
    assert all(job.finished.wait(timeout=WAIT_S) for job in jobs)
    assert len(fake.calls) == 1 and registry.trainings_started == 1
    assert len({id(job) for job in jobs}) == 1 and jobs[0].requests == 30
    assert jobs[0].status == "done"
    assert registry.model(ModelKey.trained("phrasebook", CONFIG)) is jobs[0].result


def test_one_training_at_a_time_and_the_others_wait_in_order():
    fake = FakeTraining()
    registry = Registry(fake)
    jobs = [
        registry.request(
            ModelKey.trained("phrasebook", replace(CONFIG, seed=seed)), replace(CONFIG, seed=seed)
        )
        for seed in range(3)
    ]
    wait_until_running(jobs[0])
    assert [registry.position(job) for job in jobs] == [0, 1, 2]
    assert jobs[1].status == jobs[2].status == "waiting"
    fake.release.set()
    assert all(job.finished.wait(timeout=WAIT_S) for job in jobs)
    assert fake.most_at_once == 1 and len(fake.calls) == 3
    assert [config.seed for config, _ in fake.calls] == [0, 1, 2]


def test_a_failed_training_says_why_keeps_the_previous_model_and_can_be_retried(capfd):
    fake = FakeTraining(fail=True)
    fake.release.set()
    registry = Registry(fake)
    previous = TrainedModel(model=None, source_vocab=None, target_vocab=None, config=CONFIG)
    registry.add_model(ModelKey.shipped("previous"), previous)
    job = registry.request(ModelKey.shipped("previous"), CONFIG)
    assert job.finished.wait(timeout=WAIT_S)
    assert job.status == "failed" and job.error == "RuntimeError: out of memory"
    assert registry.model(ModelKey.shipped("previous")) is previous
    # the server's log gets the whole traceback
    logged = capfd.readouterr().err
    assert "Traceback (most recent call last)" in logged and "RuntimeError: out of memory" in logged

    fake.fail = False
    retry = registry.request(ModelKey.shipped("previous"), CONFIG)  # asking again retries
    assert retry is not job
    assert retry.finished.wait(timeout=WAIT_S) and retry.status == "done"
    assert len(fake.calls) == 2 and registry.model(ModelKey.shipped("previous")) is retry.result


def test_a_waiting_job_can_be_stopped_before_it_starts():
    fake = FakeTraining()
    registry = Registry(fake)
    first = registry.request(ModelKey.trained("a", CONFIG), CONFIG)
    second = registry.request(ModelKey.trained("b", replace(CONFIG, seed=1)), replace(CONFIG, seed=1))
    second.stop()
    assert second.finished.wait(timeout=WAIT_S)
    assert second.status == "stopped" and second.result is None
    fake.release.set()
    assert first.finished.wait(timeout=WAIT_S) and first.status == "done"
    assert len(fake.calls) == 1


def test_a_real_tiny_training_through_the_registry():
    registry = Registry()
    job = registry.request(ModelKey.shipped("tiny"), replace(CONFIG, time_budget_s=1, train_pairs=100))
    assert job.finished.wait(timeout=60)
    assert job.status == "done" and job.history
    assert registry.model(ModelKey.shipped("tiny")).model is not None


def test_a_full_queue_refuses_new_trainings_but_shares_the_ones_it_has():
    fake = FakeTraining()
    registry = Registry(fake)
    assert registry.max_waiting == 5  # what the README promises a hosted server
    jobs = [registry.request(trained_key(0), replace(CONFIG, seed=0))]
    wait_until_running(jobs[0])
    jobs += [registry.request(trained_key(seed), replace(CONFIG, seed=seed)) for seed in range(1, 6)]
    assert [registry.position(job) for job in jobs] == [0, 1, 2, 3, 4, 5]
    with pytest.raises(QueueFull, match="5 trainings are already waiting"):  # one runs, five wait
        registry.request(trained_key(6), replace(CONFIG, seed=6))
    assert registry.request(trained_key(5), replace(CONFIG, seed=5)) is jobs[5]  # asking again is fine
    fake.release.set()
    assert all(job.finished.wait(timeout=WAIT_S) for job in jobs)
    assert registry.request(trained_key(6), replace(CONFIG, seed=6)).finished.wait(timeout=WAIT_S)
    assert len(fake.calls) == 7


def test_the_queue_limit_can_be_set():
    fake = FakeTraining()
    registry = Registry(fake, max_waiting=2)
    first = registry.request(trained_key(0), replace(CONFIG, seed=0))
    wait_until_running(first)
    waiting = [registry.request(trained_key(seed), replace(CONFIG, seed=seed)) for seed in (1, 2)]
    with pytest.raises(QueueFull, match="2 trainings are already waiting"):
        registry.request(trained_key(3), replace(CONFIG, seed=3))
    fake.release.set()
    assert all(job.finished.wait(timeout=WAIT_S) for job in [first, *waiting])


def test_an_uploaded_corpus_reaches_the_training_and_is_let_go_of_afterwards():
    fake = FakeTraining()
    registry = Registry(fake)
    pairs = generate_pairs(30, seed=5)
    data = (pairs[:25], pairs[25:])
    job = registry.request(ModelKey.trained("upload-abc", CONFIG), CONFIG, data)
    fake.release.set()
    assert job.finished.wait(timeout=WAIT_S) and job.status == "done"
    assert fake.calls == [(CONFIG, data)]
    assert job.data is None  # a finished job does not keep 100,000 pairs alive
    # the phrasebook's key with the same config is another model
    other = registry.request(ModelKey.trained("phrasebook", CONFIG), CONFIG)
    assert other is not job
