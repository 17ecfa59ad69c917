"""Build every report in a folder with Ray: one task per input, one shared cache."""

from pathlib import Path

import ray

from speak.build import build, expand_inputs


def build_on_ray(folder: str, out: str, cache: str, workers: int = 2) -> list:
    inputs = expand_inputs([folder])  # every **/*.txt, sorted
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    try:
        remote_build = ray.remote(build)
        tasks = [
            remote_build.remote(path, Path(out) / Path(path).stem, cache_dir=cache)
            for path in inputs
        ]
        return ray.get(tasks)  # one BuildResult per input, in order
    finally:
        ray.shutdown()
